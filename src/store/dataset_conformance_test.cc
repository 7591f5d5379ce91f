// Conformance tests of data versions on every backend: numbering, adding the
// same content again, lookups and their errors, concurrent adds from two
// connections, the audit entries they leave, and ReferencedObjects.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "conformance_fixture.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/sha256.h"

namespace mlpipe::store {
namespace {

// Concatenates (GCC 12 warns falsely on `"literal" + std::string`).
template <typename... T>
std::string Cat(const T&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

DatasetVersion MakeVersion(const std::string& name, const std::string& content) {
  DatasetVersion v;
  v.name = name;
  v.hash = core::Sha256Hex(content);
  v.size = content.size();
  v.rows = 1000;
  v.schema_json = "{\"columns\":[]}";
  v.profile_json = "{\"rows\":1000}";
  v.source_path = Cat("data/", name, ".csv");
  return v;
}

TEST_P(StoreConformance, DatasetVersionsAreNumberedAndRoundTrip) {
  bool existed = true;
  auto v1 = store().AddDatasetVersion(MakeVersion("credit", "one"), &existed, "alice");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_FALSE(existed);
  EXPECT_EQ(v1->version, 1);
  EXPECT_GT(v1->created_us, 0);
  EXPECT_EQ(v1->created_by, "alice");
  auto v2 = store().AddDatasetVersion(MakeVersion("credit", "two"), &existed, "bob");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_FALSE(existed);
  EXPECT_EQ(v2->version, 2);

  auto got = store().GetDatasetVersion("credit", 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "credit");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->hash, core::Sha256Hex("one"));
  EXPECT_EQ(got->size, 3u);
  EXPECT_EQ(got->rows, 1000);
  EXPECT_EQ(got->schema_json, "{\"columns\":[]}");
  EXPECT_EQ(got->profile_json, "{\"rows\":1000}");
  EXPECT_EQ(got->source_path, "data/credit.csv");
  EXPECT_EQ(got->created_us, v1->created_us);
  EXPECT_EQ(got->created_by, "alice");

  auto latest = store().GetDatasetVersion("credit", std::nullopt);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->hash, core::Sha256Hex("two"));

  auto list = store().ListDatasetVersions("credit");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version, 1);
  EXPECT_EQ((*list)[1].version, 2);
}

TEST_P(StoreConformance, DatasetSameContentAsLatestIsNotANewVersion) {
  bool existed = false;
  auto v1 = store().AddDatasetVersion(MakeVersion("credit", "one"), &existed, "alice");
  ASSERT_TRUE(v1.ok());
  DatasetVersion again = MakeVersion("credit", "one");
  again.source_path = "elsewhere.csv";
  auto v1b = store().AddDatasetVersion(again, &existed, "bob");
  ASSERT_TRUE(v1b.ok()) << v1b.status().ToString();
  EXPECT_TRUE(existed);
  EXPECT_EQ(v1b->version, 1);
  EXPECT_EQ(v1b->source_path, "data/credit.csv");  // the stored version, unchanged
  EXPECT_EQ(v1b->created_by, "alice");
  auto audit = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 1u);  // nothing recorded the second time

  // Content equal to an older (not the latest) version is a new version.
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "two"), &existed, "a").ok());
  auto v3 = store().AddDatasetVersion(MakeVersion("credit", "one"), &existed, "a");
  ASSERT_TRUE(v3.ok());
  EXPECT_FALSE(existed);
  EXPECT_EQ(v3->version, 3);
  // existed may be left out.
  auto v3b = store().AddDatasetVersion(MakeVersion("credit", "one"), nullptr, "a");
  ASSERT_TRUE(v3b.ok());
  EXPECT_EQ(v3b->version, 3);
}

TEST_P(StoreConformance, DatasetAddIsAudited) {
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "one"), nullptr, "alice").ok());
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "two!"), nullptr, "bob").ok());
  auto audit = store().ReadAudit(std::nullopt, "credit@2");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  const AuditEntry& e = (*audit)[0];
  EXPECT_EQ(e.action, "data.add");
  EXPECT_EQ(e.actor, "bob");
  EXPECT_EQ(e.seq, 2);
  auto d = core::ParseJson(e.details_json, "audit");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ((*d)["hash"], core::Sha256Hex("two!"));
  EXPECT_EQ((*d)["size"], 4);
  auto v2 = store().GetDatasetVersion("credit", 2);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(e.time_us, v2->created_us);
  auto verdict = store().VerifyAudit();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries, 2);
}

TEST_P(StoreConformance, DatasetUnknownIsNotFoundWithWhatExists) {
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "1"), nullptr, "a").ok());
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "2"), nullptr, "a").ok());
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("adult", "1"), nullptr, "a").ok());
  auto r = store().GetDatasetVersion("credit", 5);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "dataset 'credit' has no version 5 (versions: 1, 2)");
  r = store().GetDatasetVersion("churn", std::nullopt);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no dataset 'churn' (datasets: adult, credit)");
  EXPECT_EQ(store().ListDatasetVersions("churn").status().code(), StatusCode::kNotFound);
  auto names = store().ListDatasets();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"adult", "credit"}));
}

TEST_P(StoreConformance, DatasetRejectsBadInput) {
  EXPECT_EQ(store().AddDatasetVersion(MakeVersion("credit@2", "x"), nullptr, "a").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().AddDatasetVersion(MakeVersion("", "x"), nullptr, "a").status().code(),
            StatusCode::kInvalidArgument);
  DatasetVersion v = MakeVersion("credit", "x");
  v.hash = "";
  EXPECT_EQ(store().AddDatasetVersion(v, nullptr, "a").status().code(),
            StatusCode::kInvalidArgument);
  auto names = store().ListDatasets();
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
}

TEST_P(StoreConformance, ConcurrentDatasetAddsFromTwoConnections) {
  auto s1 = Reopen();
  auto s2 = Reopen();
  ASSERT_NE(s1, nullptr);
  ASSERT_NE(s2, nullptr);
  constexpr int kRounds = 8;
  // Each round: both connections add different content to a fresh dataset at
  // the same moment; they must get versions 1 and 2, never a clash.
  for (int round = 0; round < kRounds; ++round) {
    const std::string name = Cat("ds", std::to_string(round));
    Result<DatasetVersion> r1 = InternalError("not run");
    Result<DatasetVersion> r2 = InternalError("not run");
    std::thread t1([&] { r1 = s1->AddDatasetVersion(MakeVersion(name, "from-1"), nullptr, "a"); });
    std::thread t2([&] { r2 = s2->AddDatasetVersion(MakeVersion(name, "from-2"), nullptr, "b"); });
    t1.join();
    t2.join();
    ASSERT_TRUE(r1.ok()) << r1.status().ToString();
    ASSERT_TRUE(r2.ok()) << r2.status().ToString();
    std::set<int64_t> versions = {r1->version, r2->version};
    EXPECT_EQ(versions, (std::set<int64_t>{1, 2})) << name;
    auto list = store().ListDatasetVersions(name);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_NE((*list)[0].hash, (*list)[1].hash);
  }
  auto verdict = store().VerifyAudit();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries, 2 * kRounds);
}

TEST_P(StoreConformance, ReferencedObjectsCoversEveryRecordKind) {
  const std::string d1 = core::Sha256Hex("data1");
  const std::string d2 = core::Sha256Hex("data2");
  const std::string bundle = core::Sha256Hex("bundle");
  const std::string node = core::Sha256Hex("node");
  const std::string artifact = core::Sha256Hex("leaderboard");
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "data1"), nullptr, "a").ok());
  ASSERT_TRUE(store().AddDatasetVersion(MakeVersion("credit", "data2"), nullptr, "a").ok());
  ModelVersion mv;
  mv.model = "credit-risk";
  mv.bundle_hash = bundle;
  ASSERT_TRUE(store().CreateModelVersion(mv, "a").ok());
  ASSERT_TRUE(store().PutArtifact("object", "report", node).ok());
  ASSERT_TRUE(store().PutArtifact("code", "0123abc", "").ok());               // no hash
  ASSERT_TRUE(store().PutArtifact("code", "deadbeef", "git:deadbeef").ok());  // not SHA-256
  auto run = store().CreateRun("exp", RunOrigin{}, "a");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_TRUE(store().LogArtifact(run->run_id, RunArtifact{"leaderboard.json", artifact, 10}).ok());

  auto refs = store().ReferencedObjects();
  ASSERT_TRUE(refs.ok()) << refs.status().ToString();
  EXPECT_EQ(*refs, (std::set<std::string>{d1, d2, bundle, node, artifact}));
}

}  // namespace
}  // namespace mlpipe::store
