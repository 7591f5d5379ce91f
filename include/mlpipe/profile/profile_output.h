// The three renderings of a TableProfile: JSON (keys documented in
// docs/profile.md), an aligned text summary for the terminal, and a
// self-contained HTML report (inline CSS and SVG, no scripts, no fetches).
#pragma once

#include <string>

#include "mlpipe/core/json_util.h"
#include "mlpipe/profile/profile.h"

namespace mlpipe::profile {

// {"format_version": 1, "source": ..., "rows": ..., "columns": [...], ...}.
// Undefined figures (NaN) are null.
core::Json ProfileToJson(const TableProfile& profile);

// A readable summary: overview, warnings, one line per column, target and
// group rates, strongest associations.
std::string ProfileToText(const TableProfile& profile);

// A complete HTML document.
std::string ProfileToHtml(const TableProfile& profile);

}  // namespace mlpipe::profile
