// Running another program: arguments as a vector (no shell, so no quoting),
// for checks that must happen in a fresh process (a bundle that loads there
// loads anywhere the same binary runs).
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/status.h"

namespace mlpipe::core {

// Runs `argv` (argv[0] is the program's path; PATH is not searched) with the
// current environment, standard input from /dev/null and standard output and
// error discarded, and waits for it. Returns its exit status (0-255), or
// 128 + N when signal N ended it. kInvalidArgument for an empty argv;
// kNotFound / kIoError when the program cannot be started.
Result<int> RunProcess(const std::vector<std::string>& argv);

// The absolute path of the running executable (from /proc/self/exe).
Result<std::string> SelfExecutablePath();

}  // namespace mlpipe::core
