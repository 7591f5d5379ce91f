// The SQLite driver's one knob beyond sql.h: the busy timeout, which tests
// shorten to see a locked store fail with kUnavailable quickly.
#pragma once

#include <memory>
#include <string>

#include "sql.h"

namespace mlpipe::store {

// How long a statement or Begin waits for another connection's write lock.
inline constexpr int kSqliteBusyTimeoutMs = 30'000;

// OpenSqlite with an explicit busy timeout in milliseconds.
Result<std::unique_ptr<SqlConnection>> OpenSqlite(const std::string& path, int busy_timeout_ms);

}  // namespace mlpipe::store
