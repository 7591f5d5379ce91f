// Output paths given by users: "-" means standard output for every output
// option of every command; any other path is written as Env::WriteFileAtomic
// writes it (a symlink is followed, a FIFO or device is written into).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"

namespace mlpipe::core {

// True for "-", the name of standard output.
bool IsStandardOutput(std::string_view path);

// Writes `data` to standard output when `path` is "-", else to the file
// `path` through `env`. Errors name `path` ("standard output" for "-").
Status WriteOutput(Env* env, const std::string& path, std::string_view data);

// True when one of `paths` (the output options of one command; empty ones
// are not given) is "-": the command then prints nothing else on standard
// output. InvalidArgument when two of them are "-".
Result<bool> ClaimsStandardOutput(std::initializer_list<std::string_view> paths);

// Standard output as a WritableFile (for outputs streamed in pieces): Sync()
// flushes, Close() leaves the descriptor open.
std::unique_ptr<WritableFile> NewStandardOutputFile();

}  // namespace mlpipe::core
