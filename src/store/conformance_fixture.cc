// The StoreConformance fixture: a fresh store per test on every backend that
// is available — a SQLite file in its own temporary folder always, and a fresh
// PostgreSQL database when MLPIPE_TEST_POSTGRES_URI is set. serve_tests
// compiles this file and the *_conformance_test.cc files again with
// MLPIPE_CONFORMANCE_HTTP defined: then the one backend is "http", a tracking
// server over a fresh SQLite store (src/serve/http_conformance_support.cc).
#include "conformance_fixture.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace mlpipe::store {
namespace {

const char* PostgresServerUri() {
  const char* uri = std::getenv("MLPIPE_TEST_POSTGRES_URI");
  return uri != nullptr && *uri != '\0' ? uri : nullptr;
}

std::vector<std::string> Backends() {
#ifdef MLPIPE_CONFORMANCE_HTTP
  return {"http"};
#endif
  std::vector<std::string> b = {"sqlite"};
  if (PostgresServerUri() != nullptr) b.push_back("postgres");
  return b;
}

}  // namespace

void StoreConformance::SetUp() {
  if (GetParam() == "sqlite") {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << "mkdtemp " << tmpl;
    cleanup_ = tmpl;
    uri_ = tmpl + "/meta.db";
  } else if (GetParam() == "postgres") {
    // H2: the postgres branch.
    auto uri = OpenPostgresTestStore(PostgresServerUri(), &cleanup_);
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    uri_ = *uri;
#ifdef MLPIPE_CONFORMANCE_HTTP
  } else if (GetParam() == "http") {
    auto uri = OpenHttpTestStore(&cleanup_, &uri_);
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    open_uri_ = *uri;
#endif
  } else {
    FAIL() << "unknown backend " << GetParam();
  }
  auto store = OpenMetadataStore(open_uri_.empty() ? uri_ : open_uri_);
  ASSERT_TRUE(store.ok()) << uri_ << ": " << store.status().ToString();
  store_ = std::move(*store);
}

void StoreConformance::TearDown() {
  store_.reset();
  if (cleanup_.empty()) return;
  if (GetParam() == "sqlite") {
    std::error_code ec;
    std::filesystem::remove_all(cleanup_, ec);
  } else if (GetParam() == "postgres") {
    DropPostgresTestStore(PostgresServerUri(), cleanup_);  // H2
#ifdef MLPIPE_CONFORMANCE_HTTP
  } else if (GetParam() == "http") {
    DropHttpTestStore(cleanup_);
#endif
  }
}

std::unique_ptr<MetadataStore> StoreConformance::Reopen() {
  auto store = OpenMetadataStore(open_uri_.empty() ? uri_ : open_uri_);
  EXPECT_TRUE(store.ok()) << uri_ << ": " << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace mlpipe::store
