// The MetadataStore conformance suite: every test is a TEST_P on
// StoreConformance and runs once per backend of the test binary
// (ConformanceBackends()). Each test gets a fresh, empty store.
//
// The suite is the test library mlpipe_store_conformance (src/store), linked
// into store_tests (backends "sqlite" always, "postgres" when
// MLPIPE_TEST_POSTGRES_URI names a server; scripts/with_postgres.sh starts
// one) and into serve_tests (backend "http": a tracking server).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {

// One fresh store of a backend.
struct TestStore {
  std::string uri;       // the database itself (raw SQL access); for "http",
                         // the SQLite file behind the server
  std::string open_uri;  // what the store is opened through, when not `uri`
  std::string cleanup;   // what the backend's drop needs to remove it
};

struct ConformanceBackend {
  std::string name;  // the test-name suffix: "sqlite", "postgres", "http"
  std::function<Result<TestStore>()> open;
  std::function<void(const TestStore&)> drop;
};

// The backends this test binary runs the suite on. Defined once per binary,
// outside the library: store_tests in conformance_backends.cc, serve_tests in
// src/serve/http_conformance_support.cc.
std::vector<ConformanceBackend> ConformanceBackends();

// A SQLite file in its own temporary folder.
ConformanceBackend SqliteConformanceBackend();
// A fresh database on the PostgreSQL server named by `server_uri`
// (postgres_test_support.cc).
ConformanceBackend PostgresConformanceBackend(const std::string& server_uri);

// What the postgres backend does, also used by the PostgreSQL driver tests:
// creates a fresh, empty database on the server named by `server_uri`
// (MLPIPE_TEST_POSTGRES_URI) and returns the URI to open it; `*cleanup` gets
// what DropPostgresTestStore needs to remove it again.
Result<std::string> OpenPostgresTestStore(const std::string& server_uri, std::string* cleanup);
void DropPostgresTestStore(const std::string& server_uri, const std::string& cleanup);

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  MetadataStore& store() { return *store_; }
  // A second, independent connection to the same store (concurrency tests).
  std::unique_ptr<MetadataStore> Reopen();
  // The database itself (for raw SQL access); for "http", the SQLite file
  // behind the server.
  const std::string& uri() const { return made_.uri; }

 private:
  const std::string& open_uri() const {
    return made_.open_uri.empty() ? made_.uri : made_.open_uri;
  }

  ConformanceBackend backend_;
  TestStore made_;
  bool opened_ = false;
  std::unique_ptr<MetadataStore> store_;
};

}  // namespace mlpipe::store
