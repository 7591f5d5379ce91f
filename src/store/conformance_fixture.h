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
  const std::string& uri() const { return uri_; }

 private:
  std::string uri_;
  std::string cleanup_;  // temp folder (sqlite) or database name (postgres) to drop
  std::unique_ptr<MetadataStore> store_;
};

}  // namespace mlpipe::store
