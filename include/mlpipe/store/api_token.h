// The API token of a tracking server (`mlpipe serve --tracking`): the one
// place that reads it from the environment. The store's HTTP clients send it
// with every request; the server takes it when given no --token-file.
#pragma once

#include <string>

namespace mlpipe::store {

inline constexpr const char* kApiTokenVariable = "MLPIPE_API_TOKEN";

// $MLPIPE_API_TOKEN without surrounding white space; "" when unset.
std::string ApiTokenFromEnvironment();

}  // namespace mlpipe::store
