// Shape checks of a decoded bundle's parts: every field the scoring path,
// `bundle verify` and `inspect` read has the type they read it as, so that a
// crafted bundle (valid checksums, wrong content) is refused on load with the
// part and field named, never later with a library's message.
#pragma once

#include <string_view>

#include "mlpipe/bundle/bundle.h"

namespace mlpipe::bundle::internal {

// InvalidArgument "SOURCE: part golden.json: expected[3].predicted: expected a
// string, found null" for the first field of the wrong shape.
Status ValidateParts(const ModelBundle& b, std::string_view source);

}  // namespace mlpipe::bundle::internal
