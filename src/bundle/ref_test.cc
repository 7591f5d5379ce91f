// ReadBundleRef: a file path, and MODEL@VERSION / MODEL@ALIAS through a real
// SQLite registry and object store in a temporary folder.
#include "mlpipe/bundle/ref.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "mlpipe/bundle/bundle.h"
#include "test_fixture.h"

namespace mlpipe::bundle {
namespace {

class RefTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (std::filesystem::temp_directory_path() / ("bundle_ref_test_" + std::to_string(::getpid())))
            .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(RefTest, FileAndRegistryVersionAndAlias) {
  core::Env* env = core::Env::Default();
  const auto& t = testing::GetTrained("gbdt");
  const std::string file = dir_ + "/m@1.mlpb";  // a file whose name holds '@' is a file
  ASSERT_TRUE(env->WriteFileAtomic(file, t.bytes).ok());
  auto f = ReadBundleRef(env, file, nullptr, nullptr);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->bytes, t.bytes);

  auto meta = store::OpenMetadataStore(dir_ + "/meta.db");
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  store::ObjectStore objects(env, dir_ + "/objects");
  auto put = objects.PutBytes(t.bytes);
  ASSERT_TRUE(put.ok());
  store::ModelVersion mv;
  mv.model = "credit";
  mv.bundle_hash = put->hash;
  auto v = (*meta)->CreateModelVersion(mv, "test");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_TRUE((*meta)->MoveAlias("credit", "champion", v->version, "test", "why").ok());

  for (const std::string ref : {"credit@1", "credit@champion"}) {
    auto r = ReadBundleRef(env, ref, meta->get(), &objects);
    ASSERT_TRUE(r.ok()) << ref << ": " << r.status().ToString();
    EXPECT_EQ(r->bytes, t.bytes);
    EXPECT_NE(r->name.find("credit@1 (bundle " + put->hash.substr(0, 12)), std::string::npos);
    EXPECT_TRUE(DecodeBundle(r->bytes, r->name).ok());
  }
  EXPECT_EQ(ReadBundleRef(env, "credit@7", meta->get(), &objects).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ReadBundleRef(env, "credit@1", nullptr, nullptr).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadBundleRef(env, dir_ + "/absent.mlpb", nullptr, nullptr).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::bundle
