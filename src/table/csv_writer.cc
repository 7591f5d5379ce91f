#include <fmt/format.h>

#include "mlpipe/table/csv.h"

#include "mlpipe/core/output.h"
#include "value_parse.h"

namespace mlpipe::table {
namespace {

// Whether `s` must be quoted to read back as itself (see csv.h).
bool NeedsQuotes(std::string_view s, char delim, const internal::MissingTokens& missing) {
  if (s.empty()) return true;
  if (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t') return true;
  for (char c : s)
    if (c == delim || c == '"' || c == '\n' || c == '\r') return true;
  return missing.Matches(s);
}

void AppendField(std::string* out, std::string_view s, char delim,
                 const internal::MissingTokens& missing) {
  if (!NeedsQuotes(s, delim, missing)) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::string WriteCsvString(const Table& table, const CsvWriteOptions& options) {
  const char delim = options.delimiter;
  std::vector<std::string> tokens = CsvReadOptions().missing_tokens;
  tokens.push_back(options.missing);
  internal::MissingTokens missing(tokens);
  const size_t ncols = table.num_columns();
  std::string out;
  for (size_t c = 0; c < ncols; ++c) {
    if (c > 0) out.push_back(delim);
    AppendField(&out, table.column(c).name(), delim, missing);
  }
  out.push_back('\n');
  for (size_t r = 0; r < table.num_rows(); ++r) {
    for (size_t c = 0; c < ncols; ++c) {
      if (c > 0) out.push_back(delim);
      const Column& col = table.column(c);
      if (!col.IsValid(r)) {
        // A line with no bytes would be skipped as blank: write "" instead.
        if (ncols == 1 && options.missing.empty())
          out.append("\"\"");
        else
          out.append(options.missing);
      } else if (IsNumeric(col.type())) {
        out.append(col.ToStringAt(r));
      } else {
        AppendField(&out, col.TextAt(r), delim, missing);
      }
    }
    out.push_back('\n');
  }
  return out;
}

Status WriteCsv(core::Env* env, const Table& table, const std::string& path,
                const CsvWriteOptions& options) {
  return core::WriteOutput(env, path, WriteCsvString(table, options));
}

}  // namespace mlpipe::table
