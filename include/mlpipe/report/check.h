// Checks that every report must pass, shared by the tests of all reports.
#pragma once

#include <string_view>

#include "mlpipe/core/status.h"

namespace mlpipe::report {

// OK when `markup` (an HTML document or an SVG fragment) is well formed in the
// XML sense — every tag closed in order, HTML void elements (meta, br, ...)
// excepted — and fetches nothing: no "http:" or "https:" anywhere but the SVG
// namespace, no <script>, no src= attribute, no @import or url( in CSS.
// The error names the byte offset and the tag at fault.
Status CheckSelfContainedMarkup(std::string_view markup);

}  // namespace mlpipe::report
