// FreshProcessCheck (fresh_process.h) with /bin/sh as the verify command: the
// child sees the exact object bytes at a path under the Env's temporary
// folder, its exit status decides, and the folder is gone afterwards.
#include "mlpipe/governance/fresh_process.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mlpipe::governance {
namespace {

namespace fs = std::filesystem;

class FreshProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mlpipe-fresh-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    // The check's temporary folders go under a path with a space and a quote.
    tmp_ = dir_ + "/tmp it's";
    fs::create_directories(tmp_);
    const char* old = std::getenv("TMPDIR");
    had_tmpdir_ = old != nullptr;
    if (had_tmpdir_) old_tmpdir_ = old;
    setenv("TMPDIR", tmp_.c_str(), 1);
    objects_ = std::make_unique<store::ObjectStore>(core::Env::Default(), dir_ + "/objects");
    auto put = objects_->PutBytes(kBundle);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    version_.model = "credit";
    version_.version = 1;
    version_.bundle_hash = put->hash;
    expected_ = dir_ + "/expected";
    std::ofstream(expected_, std::ios::binary) << kBundle;
    seen_ = dir_ + "/seen";
  }
  void TearDown() override {
    if (had_tmpdir_) {
      setenv("TMPDIR", old_tmpdir_.c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
    fs::remove_all(dir_);
  }

  // sh -c SCRIPT EXPECTED SEEN BUNDLE: records the bundle path in SEEN and
  // exits 0 when the bundle's bytes equal EXPECTED's.
  std::vector<std::string> Command() const {
    return {"/bin/sh", "-c", "printf %s \"$2\" > \"$1\" && cmp -s \"$0\" \"$2\"", expected_, seen_};
  }

  std::string Seen() const {
    std::ifstream in(seen_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  static constexpr const char* kBundle = "MLPB bundle bytes\n\x01\x02";
  std::string dir_, tmp_, old_tmpdir_, expected_, seen_;
  bool had_tmpdir_ = false;
  std::unique_ptr<store::ObjectStore> objects_;
  store::ModelVersion version_;
};

TEST_F(FreshProcess, PassingCommandIsEvidence) {
  auto r = FreshProcessCheck(core::Env::Default(), objects_.get(), Command())(version_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "bundle " + version_.bundle_hash.substr(0, 12) +
                    " loads in a fresh process and reproduces its golden predictions");
  const fs::path seen = Seen();
  EXPECT_EQ(seen.filename(), "bundle.mlpb");
  EXPECT_EQ(seen.parent_path().parent_path(), fs::path(tmp_));
  EXPECT_EQ(seen.parent_path().filename().string().rfind("mlpipe-gate-", 0), 0u);
  EXPECT_FALSE(fs::exists(seen.parent_path()));  // removed afterwards
  EXPECT_TRUE(fs::is_empty(tmp_));
}

TEST_F(FreshProcess, FailingCommandIsDataLossWithItsExitStatus) {
  std::ofstream(expected_, std::ios::binary) << "other bytes";
  auto r = FreshProcessCheck(core::Env::Default(), objects_.get(), Command())(version_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("in a fresh process (exit 1)"), std::string::npos)
      << r.status().message();
  EXPECT_TRUE(fs::is_empty(tmp_));
}

TEST_F(FreshProcess, MissingObjectOrProgram) {
  store::ModelVersion missing = version_;
  missing.bundle_hash = std::string(64, 'b');
  auto r = FreshProcessCheck(core::Env::Default(), objects_.get(), Command())(missing);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status().ToString();
  auto p =
      FreshProcessCheck(core::Env::Default(), objects_.get(), {"/nonexistent/mlpipe"})(version_);
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound) << p.status().ToString();
  EXPECT_TRUE(fs::is_empty(tmp_));
}

TEST(SelfBundleVerifyCommand, RunsThisExecutable) {
  auto c = SelfBundleVerifyCommand();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 4u);
  EXPECT_EQ(fs::path((*c)[0]).filename(), "governance_tests");
  EXPECT_EQ((*c)[3], "verify");
}

}  // namespace
}  // namespace mlpipe::governance
