// AddDataFile / DiffDatasetVersions on a real SQLite store and object store:
// versions, recognised duplicates, the exact row count of a large file with
// quoted line breaks, lineage of the ingest, and errors.
#include "mlpipe/store/data_versions.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mlpipe/core/sha256.h"
#include "mlpipe/profile/data_summary.h"

namespace mlpipe::store {
namespace {

namespace fs = std::filesystem;

class DataVersions : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlpipe_dv_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto meta = OpenMetadataStore(dir_ + "/.mlpipe/meta.db");
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    meta_ = std::move(meta).value();
    objects_ = std::make_unique<ObjectStore>(env_, dir_ + "/.mlpipe/objects");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  core::Env* env_ = core::Env::Default();
  std::string dir_;
  std::unique_ptr<MetadataStore> meta_;
  std::unique_ptr<ObjectStore> objects_;
};

// 20 rows, y alternating a/b (a categorical column).
std::string First() {
  std::string t = "x,y\n";
  for (int i = 1; i <= 20; ++i) t += std::to_string(i) + (i % 2 ? ",a\n" : ",b\n");
  return t;
}

TEST_F(DataVersions, AddVersionsAndRecognisesSameContent) {
  const std::string p = Write("a.csv", First());
  auto v1 = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "toy", "tester");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_FALSE(v1->existed);
  EXPECT_EQ(v1->version.version, 1);
  EXPECT_EQ(v1->version.rows, 20);
  EXPECT_EQ(v1->version.size, First().size());
  auto want = core::Sha256File(env_, p);
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(v1->version.hash, *want);
  EXPECT_TRUE(objects_->Contains(v1->version.hash));

  auto again = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "toy", "tester");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->version.version, 1);

  std::string second = "x,y,z\n";
  for (int i = 1; i <= 10; ++i) second += std::to_string(i) + (i % 2 ? ",a,0\n" : ",c,1\n");
  Write("a.csv", second);
  auto v2 = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "toy", "tester");
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version.version, 2);
  EXPECT_EQ(v2->version.rows, 10);

  const core::Json d = DiffDatasetVersions(v1->version, v2->version);
  EXPECT_EQ(d["columns_added"], core::Json::array({"z"}));
  EXPECT_EQ(d["rows"]["change"], -10);
  bool saw_y = false;
  for (const auto& c : d["columns_changed"]) {
    if (c["column"] == "y") {
      saw_y = true;
      EXPECT_EQ(c["categories_appeared"], core::Json::array({"c"}));
      EXPECT_EQ(c["categories_vanished"], core::Json::array({"b"}));
    }
    if (c["column"] == "x") {
      EXPECT_DOUBLE_EQ(c["mean"]["change"].get<double>(), -5.0);
    }
  }
  EXPECT_TRUE(saw_y) << d.dump();

  // The ingest is in the lineage: file -> ingest -> dataset.
  auto g = meta_->Lineage("dataset", "toy@2", false);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  bool saw_file = false;
  for (const auto& a : g->artifacts) saw_file |= a.kind == "file" && a.name == p;
  EXPECT_TRUE(saw_file);

  // The restored bytes are the first version's.
  const std::string out = dir_ + "/restored.csv";
  ASSERT_TRUE(objects_->CopyTo(v1->version.hash, out).ok());
  auto bytes = env_->ReadFile(out);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, First());
}

TEST_F(DataVersions, LargeFileSummarisedFromAPrefixButRowsCountedExactly) {
  // 3000 records, some with a quoted line break and some blank lines between:
  // the record count must ignore both.
  std::string text = "id,note,value\n";
  for (int i = 0; i < 3000; ++i) {
    text += std::to_string(i) + (i % 7 == 0 ? ",\"two\nlines\"," : ",plain,") +
            std::to_string(i * 0.5) + "\n";
    if (i % 100 == 0) text += "\n";
  }
  const std::string p = Write("big.csv", text);
  auto v = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "big", "tester", "",
                       /*exact_summary_bytes=*/4096);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->version.rows, 3000);
  const core::Json summary = core::Json::parse(v->version.profile_json);
  EXPECT_LT(summary["rows_seen"].get<int64_t>(), 3000);
  EXPECT_GT(summary["rows_seen"].get<int64_t>(), 50);

  auto exact = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "big2", "tester");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->version.rows, 3000);
  EXPECT_EQ(core::Json::parse(exact->version.profile_json)["rows_seen"], 3000);
}

// A process killed between recording the version and its ingest leaves a
// version without lineage; adding the same content again records it.
TEST_F(DataVersions, AddingAgainRepairsAMissingIngest) {
  const std::string p = Write("a.csv", First());
  auto hash = core::Sha256File(env_, p);
  ASSERT_TRUE(hash.ok());
  DatasetVersion v;
  v.name = "toy";
  v.hash = *hash;
  v.size = First().size();
  v.rows = 20;
  v.schema_json = v.profile_json = "{}";
  v.source_path = p;
  bool existed = false;
  ASSERT_TRUE(meta_->AddDatasetVersion(v, &existed, "tester").ok());
  ASSERT_TRUE(objects_->PutFile(p).ok());
  EXPECT_FALSE(meta_->Lineage("dataset", "toy@1", false).ok());  // no node yet

  auto again = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "toy", "tester");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->existed);
  auto g = meta_->Lineage("dataset", "toy@1", false);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(g->executions.size(), 1u);
  EXPECT_EQ(g->executions[0].type, "ingest");
  // And only once.
  ASSERT_TRUE(
      AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, "toy", "tester").ok());
  EXPECT_EQ(meta_->Lineage("dataset", "toy@1", false)->executions.size(), 1u);
}

TEST_F(DataVersions, Errors) {
  auto missing =
      AddDataFile(env_, *meta_, *objects_, profile::SummariseData, dir_ + "/nope.csv", "x", "t");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);
  const std::string p = Write("a.csv", "x\n1\n");
  for (const char* bad : {"credit@2", "", "@x", "a b"}) {
    auto r = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, p, bad, "t");
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto dir = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, dir_, "x", "t");
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  const std::string broken = Write("broken.csv", "a,b\n1,2\n\"open\n");
  auto r = AddDataFile(env_, *meta_, *objects_, profile::SummariseData, broken, "broken", "t");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("broken.csv"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace mlpipe::store
