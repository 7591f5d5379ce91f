// The metadata schema as numbered migrations. Migration N brings a store from
// schema version N-1 to N; the store records its version in schema_version.
#pragma once

#include <string>
#include <vector>

#include "sql.h"

namespace mlpipe::store {

// The DDL of every migration, in order, written for `dialect`.
std::vector<std::string> SchemaMigrations(SqlDialect dialect);

}  // namespace mlpipe::store
