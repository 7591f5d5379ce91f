// Test support for the PostgreSQL backend: a fresh, empty schema per test on
// the server named by MLPIPE_TEST_POSTGRES_URI (scripts/with_postgres.sh), so
// that conformance tests never see each other's rows. Declared in
// conformance_fixture.h.
#include <unistd.h>

#include <atomic>
#include <random>
#include <string>

#include "conformance_fixture.h"
#include "sql.h"

namespace mlpipe::store {
namespace {

// `uri` plus a libpq option that puts `schema` first on the search path, so
// every unqualified table the store creates and reads lives in it.
std::string WithSearchPath(const std::string& uri, const std::string& schema) {
  std::string out = uri;
  out.append(uri.find('?') == std::string::npos ? "?" : "&");
  out.append("options=-csearch_path%3D").append(schema);
  return out;
}

// mlpipe_t_<pid>_<counter>_<random>: unique across the test processes that
// share one server.
std::string FreshName() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string name = "mlpipe_t_";
  name.append(std::to_string(getpid()))
      .append("_")
      .append(std::to_string(counter.fetch_add(1)))
      .append("_")
      .append(std::to_string(rd() % 1000000));
  return name;
}

}  // namespace

// A fresh schema rather than a fresh database: CREATE DATABASE costs a few
// hundred milliseconds per test, CREATE SCHEMA a few. The store's advisory
// locks are then shared by the tests of one database, which run one at a time.
Result<std::string> OpenPostgresTestStore(const std::string& server_uri, std::string* cleanup) {
  MLPIPE_ASSIGN_OR_RETURN(auto admin, OpenPostgres(server_uri));
  const std::string name = FreshName();
  // The name is generated here from [a-z0-9_], so it needs no quoting.
  std::string sql = "CREATE SCHEMA ";
  sql.append(name);
  MLPIPE_RETURN_IF_ERROR(admin->ExecScript(sql));
  *cleanup = name;
  return WithSearchPath(server_uri, name);
}

void DropPostgresTestStore(const std::string& server_uri, const std::string& cleanup) {
  auto admin = OpenPostgres(server_uri);
  if (!admin.ok()) {
    ADD_FAILURE() << "dropping test schema " << cleanup << ": " << admin.status().ToString();
    return;
  }
  std::string sql = "DROP SCHEMA IF EXISTS ";
  sql.append(cleanup).append(" CASCADE");
  Status s = (*admin)->ExecScript(sql);
  if (!s.ok()) ADD_FAILURE() << "dropping test schema " << cleanup << ": " << s.ToString();
}

ConformanceBackend PostgresConformanceBackend(const std::string& server_uri) {
  ConformanceBackend b;
  b.name = "postgres";
  b.open = [server_uri]() -> Result<TestStore> {
    TestStore t;
    MLPIPE_ASSIGN_OR_RETURN(t.uri, OpenPostgresTestStore(server_uri, &t.cleanup));
    return t;
  };
  b.drop = [server_uri](const TestStore& t) { DropPostgresTestStore(server_uri, t.cleanup); };
  return b;
}

}  // namespace mlpipe::store
