// The ARFF reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "mlpipe/table/arff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto copy = std::make_unique<char[]>(size);
  if (size > 0) std::memcpy(copy.get(), data, size);
  (void)mlpipe::table::ReadArffString(std::string_view(copy.get(), size), "fuzz.arff");
  return 0;
}
