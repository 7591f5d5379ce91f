// The store takes time and the API token from one place each: record and
// metric times from the Env it is given (a MemEnv's clock here, set by the
// test), the token from $MLPIPE_API_TOKEN through ApiTokenFromEnvironment.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/store/api_token.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "mlpipe/store/tracking.h"

namespace mlpipe::store {
namespace {

constexpr int64_t kStart = 1'234'567'000'000;

class StoreEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-env-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
};

TEST_F(StoreEnvTest, RecordAndMetricTimesComeFromTheEnvClock) {
  auto env = core::NewMemEnv(kStart);
  auto meta = OpenMetadataStore(dir_ + "/meta.db", env.get());
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  ObjectStore objects(env.get(), "/objects");
  RunOrigin origin;
  origin.name = "clocked";
  auto logger = RunLogger::Start(meta->get(), &objects, "exp", origin, "tester");
  ASSERT_TRUE(logger.ok()) << logger.status().ToString();
  EXPECT_EQ(logger->info().start_us, kStart);

  env->AdvanceClock(5'000'000);
  ASSERT_TRUE(logger->Metric("loss", 0.25, 3).ok());
  env->AdvanceClock(2'000'000);
  ASSERT_TRUE(logger->End(RunStatus::kFinished).ok());

  auto history = (*meta)->GetMetricHistory(logger->run_id(), "loss");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].timestamp_us, kStart + 5'000'000);
  auto run = (*meta)->GetRun(logger->run_id());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->info.end_us, kStart + 7'000'000);
}

TEST(ApiTokenTest, ReadsTheVariableWithoutSurroundingSpace) {
  const char* saved = std::getenv(kApiTokenVariable);
  const std::string restore = saved != nullptr ? saved : "";
  setenv(kApiTokenVariable, "  s3cret\t\n", 1);
  EXPECT_EQ(ApiTokenFromEnvironment(), "s3cret");
  setenv(kApiTokenVariable, " \n", 1);
  EXPECT_EQ(ApiTokenFromEnvironment(), "");
  unsetenv(kApiTokenVariable);
  EXPECT_EQ(ApiTokenFromEnvironment(), "");
  if (saved != nullptr) setenv(kApiTokenVariable, restore.c_str(), 1);
}

}  // namespace
}  // namespace mlpipe::store
