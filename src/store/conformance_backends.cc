// The backends store_tests runs the conformance suite on: SQLite always, and
// PostgreSQL when MLPIPE_TEST_POSTGRES_URI names a server.
#include <cstdlib>

#include "conformance_fixture.h"

namespace mlpipe::store {

std::vector<ConformanceBackend> ConformanceBackends() {
  std::vector<ConformanceBackend> b = {SqliteConformanceBackend()};
  const char* server = std::getenv("MLPIPE_TEST_POSTGRES_URI");
  if (server != nullptr && *server != '\0') b.push_back(PostgresConformanceBackend(server));
  return b;
}

}  // namespace mlpipe::store
