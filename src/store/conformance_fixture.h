// The MetadataStore conformance suite: every test is a TEST_P on
// StoreConformance and runs once per backend — "sqlite" always, "postgres"
// when MLPIPE_TEST_POSTGRES_URI names a server (scripts/with_postgres.sh
// starts one). Each test gets a fresh, empty store.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  MetadataStore& store() { return *store_; }
  // A second, independent connection to the same store (concurrency tests).
  std::unique_ptr<MetadataStore> Reopen();
  // The database itself (for raw SQL access); for "http", the SQLite file
  // behind the server.
  const std::string& uri() const { return uri_; }

 private:
  std::string uri_;
  std::string cleanup_;  // temp folder (sqlite) or database name (postgres) to drop
  std::unique_ptr<MetadataStore> store_;
  std::string open_uri_;  // what the store is opened through when not uri_ (http://…)
};

// The postgres backend's test support, defined in postgres_test_support.cc.
// Creates a fresh, empty database on the server named by `server_uri`
// (MLPIPE_TEST_POSTGRES_URI) and returns the URI to open it; `*cleanup` gets
// what DropPostgresTestStore needs to remove it again.
Result<std::string> OpenPostgresTestStore(const std::string& server_uri, std::string* cleanup);
void DropPostgresTestStore(const std::string& server_uri, const std::string& cleanup);

// The http backend's test support, linked into serve_tests only
// (src/serve/http_conformance_support.cc): starts a tracking server over a
// fresh SQLite store and returns its http:// URI; `*raw_uri` gets the SQLite
// path behind it and `*cleanup` what DropHttpTestStore needs.
Result<std::string> OpenHttpTestStore(std::string* cleanup, std::string* raw_uri);
void DropHttpTestStore(const std::string& cleanup);

}  // namespace mlpipe::store
