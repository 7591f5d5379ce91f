// How a command line that does not parse is reported: one line
// "error: MESSAGE" on standard error, with "did you mean" for a mistyped
// subcommand or option (core::DidYouMean, the rule the spec check uses).
#pragma once

#include <CLI/CLI.hpp>

namespace mlpipe::cli {

// Prints the error of a failed `app.parse` and returns the exit code (2).
// An argument left over (an unknown subcommand or option) is named first,
// with the closest valid name, since it is most often the cause of what
// CLI11 reports (a subcommand or option said to be missing).
int ReportParseError(CLI::App& app, const CLI::ParseError& e);

}  // namespace mlpipe::cli
