// What the commands over the project's stores share (runs, registry, lineage,
// audit, gc, data versions): opening the stores from the global options, and
// formatting times, byte counts and aligned tables for the terminal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli_common.h"
#include "mlpipe/core/status.h"
#include "mlpipe/governance/fresh_process.h"
#include "mlpipe/store/project.h"

namespace mlpipe::cli {

// Opens the stores of the project named by --project / --store (or the
// nearest project from the working directory). Outside a project (no folder
// holding mlpipe.yaml or .mlpipe/ and no --store) it creates nothing and is
// bad usage (exit 2): the commands that only read or change existing records
// have nothing to work on there.
Result<store::ProjectStores> OpenStores(const CommandState& state);

// As OpenStores, but outside a project the working folder (or --project DIR)
// becomes a new one (`.mlpipe/` created): for the commands that record
// something new (data add).
Result<store::ProjectStores> OpenOrCreateStores(const CommandState& state);

// Microseconds since the Unix epoch as ISO 8601 UTC with seconds,
// "2024-05-01T12:34:56Z" (core::FormatIsoTime); "" for 0 (a time not recorded yet).
std::string FormatTime(int64_t micros);

// "0 B", "512 B", "1.5 KiB", "12.3 MiB", "4.0 GiB".
std::string FormatBytes(uint64_t bytes);

// Prints `rows` under `header` to standard output, columns left-aligned and
// separated by two spaces; a row shorter than the header is padded with "".
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

// A double as the shortest text that reads back to the same value ("0.8125", "1e-09").
std::string FormatNumber(double value);

// A metric for the terminal: 6 significant digits ("0.9", "0.966667", "1.2e-05").
// JSON output keeps the exact value.
std::string FormatMetric(double value);

// A stored JSON text parsed (so that --json output nests it as JSON, not as a
// string); {} for "", the text itself as a string if it does not parse.
core::Json JsonOrText(const std::string& text);

// The integration gate (governance/fresh_process.h): `mlpipe -q bundle verify`
// of the version's bundle in a fresh process of this binary.
governance::IntegrationCheck FreshProcessCheck(store::ObjectStore* objects);

// Runs `fn` (returning Status) and stores the exit code in `state`.
template <typename Fn>
void RunCommand(CommandState& state, Fn&& fn) {
  Status s = fn();
  state.exit_code = s.ok() ? kExitOk : ReportError(state, s);
}

}  // namespace mlpipe::cli
