// The identity of the running mlpipe code, for caches whose results depend on
// the code that computed them (the pipeline's step cache).
#pragma once

#include <string>

namespace mlpipe::core {

// Hex identity of the executable or shared object that holds mlpipe's code:
// the GNU build ID the linker wrote into it (a hash of its contents, so any
// change to the code, committed or not, changes it), or, for a file linked
// without one, the SHA-256 of the file. Computed on first use, then constant
// for the process; thread safe. "" when neither can be read.
const std::string& BuildId();

}  // namespace mlpipe::core
