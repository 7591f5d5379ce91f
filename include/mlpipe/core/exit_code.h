// The exit status of the `mlpipe` command line for a Status (DESIGN.md,
// "Exit status of the CLI"), in one place so that every front end that runs
// commands (the CLI, scripts embedding the library) maps codes alike:
//   0  success
//   1  the command ran and found what it exists to find (anomalies, drift, a
//      failed gate, a broken audit chain); set by the command, never mapped
//   2  the caller can fix it: bad usage, spec or input; something named that
//      does not exist or already does; a state that forbids the operation
//   3  mlpipe or its environment failed: an internal error, an I/O error the
//      operating system reported, a server that cannot be reached, stored
//      data found damaged (data loss)
#pragma once

#include "mlpipe/core/status.h"

namespace mlpipe::core {

constexpr int kExitOk = 0;
constexpr int kExitProblemFound = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

// 0 for kOk, 2 or 3 otherwise as above.
int ExitCodeFor(StatusCode code);

}  // namespace mlpipe::core
