// Run-id prefixes and lineage references (lookup.h) on a real SQLite store.
// Run ids are random, so the tests set chosen ids with SQL after creating
// the runs (fresh runs have nothing that refers to them yet).
#include "mlpipe/store/lookup.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "mlpipe/core/sha256.h"
#include "sqlite_connection.h"

namespace mlpipe::store {
namespace {

class Lookup : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-lookup-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto meta = OpenMetadataStore(dir_ + "/meta.db");
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    meta_ = std::move(meta).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Creates runs and gives them the ids `ids`, in order.
  void RunsWithIds(const std::vector<std::string>& ids) {
    auto db = OpenSqlite(dir_ + "/meta.db", 5000);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    for (const std::string& id : ids) {
      RunOrigin origin;
      origin.name = "r";
      auto run = meta_->CreateRun("exp", origin, "tester");
      ASSERT_TRUE(run.ok()) << run.status().ToString();
      auto n = (*db)->Exec("UPDATE runs SET run_id = ? WHERE run_id = ?", {id, run->run_id});
      ASSERT_TRUE(n.ok()) << n.status().ToString();
      ASSERT_EQ(*n, 1);
    }
  }

  std::string dir_;
  std::unique_ptr<MetadataStore> meta_;
};

const std::string kA = "abcd0000000000000000000000000001";
const std::string kB = "abcd1111000000000000000000000002";
const std::string kC = "ab_d%000000000000000000000000003";

TEST_F(Lookup, FullIdAndUniquePrefix) {
  RunsWithIds({kA, kB});
  auto full = ResolveRun(*meta_, kA);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->info.run_id, kA);
  auto prefix = ResolveRun(*meta_, "abcd1");
  ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
  EXPECT_EQ(prefix->info.run_id, kB);
}

TEST_F(Lookup, AmbiguousPrefixListsTheRuns) {
  RunsWithIds({kA, kB});
  auto r = ResolveRun(*meta_, "abcd");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'abcd' is ambiguous: it matches 2 runs"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find(kA), std::string::npos);
  EXPECT_NE(r.status().message().find(kB), std::string::npos);
}

TEST_F(Lookup, WildcardCharactersAreLiteral) {
  RunsWithIds({kA, kB});
  // As LIKE wildcards, each of these would match both runs (ambiguous).
  for (const char* p : {"ab_d", "abc%", "a%", "____", "%%%%"}) {
    auto r = ResolveRun(*meta_, p);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << p << ": " << r.status().message();
  }
  // ... and they match an id that holds them.
  RunsWithIds({kC});
  for (const char* p : {"ab_d", "ab_d%", "ab_d%0"}) {
    auto r = ResolveRun(*meta_, p);
    ASSERT_TRUE(r.ok()) << p << ": " << r.status().ToString();
    EXPECT_EQ(r->info.run_id, kC);
  }
  // A quote or a backslash cannot break out of the literal.
  for (const char* p : {"abcd' or 1=1 or 'x", "abc\\", "ab'%"}) {
    auto r = ResolveRun(*meta_, p);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << p << ": " << r.status().message();
  }
}

TEST_F(Lookup, ShortOrUnknownIdIsNotFound) {
  RunsWithIds({kA});
  // Under 4 characters is not a prefix: it is looked up as a whole id.
  auto r = ResolveRun(*meta_, "abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("'abc'"), std::string::npos);
  EXPECT_EQ(ResolveRun(*meta_, "ffff").status().code(), StatusCode::kNotFound);
}

TEST(LikeLiteral, EscapesQuotesAndWildcards) {
  EXPECT_EQ(LikeLiteral("ab"), "'ab'");
  EXPECT_EQ(LikeLiteral("a%b_c\\d'e"), "'a\\%b\\_c\\\\d''e'");
}

TEST_F(Lookup, LineageNodeModelFirstThenDataset) {
  ASSERT_TRUE(meta_->GetOrCreateModel("credit", "").ok());
  ModelVersion v;
  v.model = "credit";
  v.bundle_hash = core::Sha256Hex("bundle");
  ASSERT_TRUE(meta_->CreateModelVersion(v, "tester").ok());
  ASSERT_TRUE(meta_->MoveAlias("credit", "champion", 1, "tester", "first").ok());
  DatasetVersion d;
  d.name = "credit";
  d.hash = core::Sha256Hex("data");
  bool existed = false;
  ASSERT_TRUE(meta_->AddDatasetVersion(d, &existed, "tester").ok());
  d.name = "iris";
  ASSERT_TRUE(meta_->AddDatasetVersion(d, &existed, "tester").ok());

  auto model = ResolveLineageNode(*meta_, "credit@champion", LineageKind::kAuto);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->kind, "model");
  EXPECT_EQ(model->name, "credit@1");
  auto data = ResolveLineageNode(*meta_, "credit@1", LineageKind::kDataset);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->kind, "dataset");
  auto iris = ResolveLineageNode(*meta_, "iris", LineageKind::kAuto);
  ASSERT_TRUE(iris.ok()) << iris.status().ToString();
  EXPECT_EQ(iris->kind, "dataset");
  EXPECT_EQ(iris->name, "iris@1");

  auto neither = ResolveLineageNode(*meta_, "nothing@2", LineageKind::kAuto);
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.status().code(), StatusCode::kNotFound);
  EXPECT_NE(neither.status().message().find("neither a model version nor a data version"),
            std::string::npos);
  EXPECT_EQ(ResolveLineageNode(*meta_, "iris", LineageKind::kModel).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ResolveLineageNode(*meta_, "credit@@2", LineageKind::kAuto).status().code(),
            StatusCode::kInvalidArgument);

  // Nothing recorded about the version: a graph of that one node.
  auto g = LineageOf(*meta_, *iris, false);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(g->artifacts.size(), 1u);
  EXPECT_EQ(g->artifacts[0].kind, "dataset");
  EXPECT_EQ(g->artifacts[0].name, "iris@1");
  EXPECT_TRUE(g->executions.empty());
}

TEST_F(Lookup, FindModelListsTheModelsThereAre) {
  EXPECT_NE(FindModel(*meta_, "x").status().message().find("(models: none)"), std::string::npos);
  ASSERT_TRUE(meta_->GetOrCreateModel("credit", "").ok());
  ASSERT_TRUE(meta_->GetOrCreateModel("churn", "").ok());
  auto m = FindModel(*meta_, "credit");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "credit");
  auto missing = FindModel(*meta_, "fraud");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no registered model 'fraud'"), std::string::npos);
  EXPECT_NE(missing.status().message().find("churn"), std::string::npos);
}

TEST(AliasesAfter, ReplaysMovesAndRemovals) {
  auto move = [](const char* alias, int64_t from, int64_t to) {
    AliasMove m;
    m.alias = alias;
    m.from_version = from;
    m.to_version = to;
    return m;
  };
  EXPECT_TRUE(AliasesAfter({}).empty());
  const std::vector<AliasMove> moves = {move("champion", 0, 1), move("challenger", 0, 2),
                                        move("champion", 1, 2), move("challenger", 2, 0)};
  EXPECT_EQ(AliasesAfter(moves), (std::map<std::string, int64_t>{{"champion", 2}}));
  EXPECT_EQ(AliasesAfter({moves.begin(), moves.begin() + 2}),
            (std::map<std::string, int64_t>{{"champion", 1}, {"challenger", 2}}));
}

}  // namespace
}  // namespace mlpipe::store
