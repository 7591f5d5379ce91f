// Bundle loading from bytes: decode (checksums, manifest, every part's
// shape), then what `bundle verify` does with a bundle that loads: build the
// predictor and re-predict the golden rows.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/bundle/predictor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto b = mlpipe::bundle::DecodeBundle(bytes, "fuzz.mlpb");
  if (!b.ok()) return 0;
  auto p = mlpipe::bundle::Predictor::Create(std::move(*b));
  if (!p.ok()) return 0;
  (void)(*p)->VerifyGolden();
  return 0;
}
