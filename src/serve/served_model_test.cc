// ServedModel's swap keeps a taken bundle alive and counts generations;
// BundleLoader names a file's model by its stem and version by its SHA-256,
// and refuses a damaged file naming it.
#include "served_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mlpipe/core/sha256.h"

namespace mlpipe::serve {
namespace {

const std::string kIris = std::string(MLPIPE_SOURCE_DIR) + "/fuzz/corpus/bundle/iris-logreg.mlpb";

TEST(BundleLoader, FileRefIsNamedByStemAndVersionedBySha256) {
  BundleLoader loader(core::Env::Default(), std::nullopt);
  EXPECT_FALSE(loader.IsRegistryRef(kIris));
  auto m = loader.Load(kIris);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->name, "iris-logreg");
  std::ifstream in(kIris, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string sha = core::Sha256Hex(bytes.str());
  EXPECT_EQ((*m)->sha256, sha);
  EXPECT_EQ((*m)->version, sha.substr(0, 12));
  EXPECT_GT((*m)->load_seconds, 0);
  // A registry ref without a project is refused, naming what is missing.
  auto r = loader.Load("iris@champion");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("project"), std::string::npos) << r.status().message();
}

TEST(BundleLoader, DamagedFileIsRefusedNamingIt) {
  const std::string path = testing::TempDir() + "/damaged.mlpb";
  std::ifstream in(kIris, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  bytes[bytes.size() - 7] ^= 0x5a;
  std::ofstream(path, std::ios::binary) << bytes;
  BundleLoader loader(core::Env::Default(), std::nullopt);
  auto m = loader.Load(path);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("damaged.mlpb"), std::string::npos) << m.status().message();
  std::filesystem::remove(path);
}

TEST(ServedModel, SwapKeepsTakenBundlesAliveAndCountsGenerations) {
  BundleLoader loader(core::Env::Default(), std::nullopt);
  auto a = loader.Load(kIris);
  auto b = loader.Load(kIris);
  ASSERT_TRUE(a.ok() && b.ok());
  ServedModel model("iris", kIris);
  EXPECT_EQ(model.Current(), nullptr);
  EXPECT_EQ(model.Swap(*a), 1);
  std::shared_ptr<const LoadedModel> in_flight = model.Current();
  std::weak_ptr<const LoadedModel> watch = in_flight;
  a->reset();
  EXPECT_EQ(model.Swap(*b), 2);
  EXPECT_NE(model.Current(), in_flight);
  ASSERT_FALSE(watch.expired());  // the request holding it still scores with it
  EXPECT_TRUE(in_flight->predictor->VerifyGolden().ok());
  in_flight.reset();
  EXPECT_TRUE(watch.expired());  // freed with its last request
  EXPECT_EQ(model.Swap(nullptr), 0);
  EXPECT_EQ(model.Current(), nullptr);
}

}  // namespace
}  // namespace mlpipe::serve
