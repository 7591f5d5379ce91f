// The run query compiler on arbitrary text: the filter, and the same text as
// an order-by entry, for both SQL dialects. Every failure must be
// InvalidArgument (bad input), never a crash or another code; the SQL never
// holds more `?` than parameters.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "run_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (auto dialect : {mlpipe::store::SqlDialect::kSqlite, mlpipe::store::SqlDialect::kPostgres}) {
    for (int as_order = 0; as_order < 2; ++as_order) {
      auto q = as_order ? mlpipe::store::CompileRunQuery("", {text}, dialect)
                        : mlpipe::store::CompileRunQuery(text, {}, dialect);
      if (!q.ok()) {
        if (q.status().code() != mlpipe::StatusCode::kInvalidArgument) std::abort();
        continue;
      }
      const size_t marks = std::count(q->joins.begin(), q->joins.end(), '?') +
                           std::count(q->where.begin(), q->where.end(), '?');
      if (marks != q->join_params.size() + q->where_params.size()) std::abort();
    }
  }
  return 0;
}
