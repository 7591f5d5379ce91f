// The StoreConformance fixture: a fresh store per test on every backend of
// the test binary (ConformanceBackends()), and the SQLite backend.
#include "conformance_fixture.h"

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

namespace mlpipe::store {
namespace {

std::vector<std::string> BackendNames() {
  std::vector<std::string> names;
  for (const auto& b : ConformanceBackends()) names.push_back(b.name);
  return names;
}

}  // namespace

ConformanceBackend SqliteConformanceBackend() {
  ConformanceBackend b;
  b.name = "sqlite";
  b.open = []() -> Result<TestStore> {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-store-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return IoError("mkdtemp " + tmpl);
    TestStore t;
    t.cleanup = tmpl;
    t.uri = tmpl + "/meta.db";
    return t;
  };
  b.drop = [](const TestStore& t) {
    std::error_code ec;
    std::filesystem::remove_all(t.cleanup, ec);
  };
  return b;
}

void StoreConformance::SetUp() {
  bool found = false;
  for (auto& b : ConformanceBackends()) {
    if (b.name == GetParam()) {
      backend_ = std::move(b);
      found = true;
    }
  }
  ASSERT_TRUE(found) << "unknown backend " << GetParam();
  auto made = backend_.open();
  ASSERT_TRUE(made.ok()) << GetParam() << ": " << made.status().ToString();
  made_ = std::move(*made);
  opened_ = true;
  auto store = OpenMetadataStore(open_uri());
  ASSERT_TRUE(store.ok()) << made_.uri << ": " << store.status().ToString();
  store_ = std::move(*store);
}

void StoreConformance::TearDown() {
  store_.reset();
  if (opened_ && backend_.drop) backend_.drop(made_);
}

std::unique_ptr<MetadataStore> StoreConformance::Reopen() {
  auto store = OpenMetadataStore(open_uri());
  EXPECT_TRUE(store.ok()) << made_.uri << ": " << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(BackendNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace mlpipe::store
