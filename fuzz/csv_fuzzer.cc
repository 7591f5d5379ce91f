// The CSV reader on arbitrary bytes: with the default options, sequentially
// and in tiny parallel chunks (the two must agree on success).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "mlpipe/table/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An exact-size copy: ASan reports any read past the end.
  auto copy = std::make_unique<char[]>(size);
  if (size > 0) std::memcpy(copy.get(), data, size);
  std::string_view text(copy.get(), size);
  mlpipe::table::CsvReadOptions sequential;
  sequential.threads = 1;
  auto a = mlpipe::table::ReadCsvString(text, "fuzz.csv", sequential);
  mlpipe::table::CsvReadOptions chunked;
  chunked.threads = 2;
  chunked.chunk_bytes = 16;
  auto b = mlpipe::table::ReadCsvString(text, "fuzz.csv", chunked);
  if (a.ok() != b.ok()) std::abort();
  if (a.ok() && a->num_rows() != b->num_rows()) std::abort();
  return 0;
}
