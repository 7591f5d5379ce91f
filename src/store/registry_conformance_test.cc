// Conformance tests of the model registry on every backend: versions and
// their numbering, status changes, references (MODEL, @V, @ALIAS), alias moves
// with their history at any time, and the audit entries all of these leave.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "conformance_fixture.h"
#include "mlpipe/core/env.h"
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

ModelVersion MakeVersion(const std::string& model, const std::string& content) {
  ModelVersion v;
  v.model = model;
  v.bundle_hash = core::Sha256Hex(content);
  v.metrics_json = "{\"roc_auc\":0.81}";
  v.description = Cat("trained on ", content);
  return v;
}

// Registers `n` versions of `model`.
void Register(MetadataStore& s, const std::string& model, int n) {
  for (int i = 0; i < n; ++i) {
    auto r = s.CreateModelVersion(MakeVersion(model, Cat(model, std::to_string(i))), "alice");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
}

// A store time strictly after every record made so far and strictly before
// any record made next.
int64_t Mark() {
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  const int64_t t = core::Env::Default()->NowMicros();
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  return t;
}

std::vector<AuditEntry> AuditOf(MetadataStore& s, const std::string& action) {
  auto all = s.ReadAudit(std::nullopt, "");
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  std::vector<AuditEntry> out;
  if (!all.ok()) return out;
  for (const auto& e : *all) {
    if (e.action == action) out.push_back(e);
  }
  return out;
}

TEST_P(StoreConformance, RegistryVersionsAreNumberedAndRoundTrip) {
  ModelVersion v = MakeVersion("credit-risk", "a");
  v.tags = {{"family", "gbdt"}, {"team", "risk"}};
  auto v1 = store().CreateModelVersion(v, "alice");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->status, ModelVersionStatus::kPending);
  EXPECT_GT(v1->created_us, 0);
  v.bundle_hash = core::Sha256Hex("b");
  v.status = ModelVersionStatus::kReady;
  v.tags = {};
  auto v2 = store().CreateModelVersion(v, "bob");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);

  auto got = store().GetModelVersion("credit-risk", 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->model, "credit-risk");
  EXPECT_EQ(got->bundle_hash, core::Sha256Hex("a"));
  EXPECT_EQ(got->metrics_json, "{\"roc_auc\":0.81}");
  EXPECT_EQ(got->description, "trained on a");
  EXPECT_EQ(got->run_id, "");
  EXPECT_EQ(got->status, ModelVersionStatus::kPending);
  EXPECT_EQ(got->created_us, v1->created_us);
  EXPECT_EQ(got->tags, (std::map<std::string, std::string>{{"family", "gbdt"}, {"team", "risk"}}));

  auto list = store().ListModelVersions("credit-risk");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version, 1);
  EXPECT_EQ((*list)[0].tags.size(), 2u);
  EXPECT_EQ((*list)[1].version, 2);
  EXPECT_EQ((*list)[1].status, ModelVersionStatus::kReady);
  EXPECT_TRUE((*list)[1].tags.empty());

  // The model was created on first registration.
  auto models = store().ListModels();
  ASSERT_TRUE(models.ok()) << models.status().ToString();
  ASSERT_EQ(models->size(), 1u);
  EXPECT_EQ((*models)[0].name, "credit-risk");

  auto reg = AuditOf(store(), "model.register");
  ASSERT_EQ(reg.size(), 2u);
  EXPECT_EQ(reg[0].subject, "credit-risk@1");
  EXPECT_EQ(reg[0].actor, "alice");
  EXPECT_EQ(reg[1].subject, "credit-risk@2");
  EXPECT_EQ(reg[1].actor, "bob");
  EXPECT_EQ(reg[0].time_us, v1->created_us);
  auto details = core::ParseJson(reg[0].details_json, "audit");
  ASSERT_TRUE(details.ok());
  EXPECT_EQ((*details)["bundle_hash"], core::Sha256Hex("a"));
}

TEST_P(StoreConformance, RegistryVersionNumbersArePerModel) {
  Register(store(), "a-model", 3);
  Register(store(), "b-model", 1);
  auto b = store().GetModelVersion("b-model", 1);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto a = store().ResolveModel(VersionRef{"a-model", std::nullopt, ""});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->version, 3);
}

TEST_P(StoreConformance, RegistryRejectsBadInput) {
  ModelVersion v = MakeVersion("credit@risk", "x");
  EXPECT_EQ(store().CreateModelVersion(v, "a").status().code(), StatusCode::kInvalidArgument);
  v = MakeVersion("credit", "x");
  v.bundle_hash = "";
  EXPECT_EQ(store().CreateModelVersion(v, "a").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().GetOrCreateModel("", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().GetOrCreateModel("bad name", "").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, GetOrCreateModelIsIdempotent) {
  auto m1 = store().GetOrCreateModel("credit", "first description");
  ASSERT_TRUE(m1.ok()) << m1.status().ToString();
  EXPECT_EQ(m1->description, "first description");
  EXPECT_GT(m1->created_us, 0);
  auto m2 = store().GetOrCreateModel("credit", "another");
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->description, "first description");
  EXPECT_EQ(m2->created_us, m1->created_us);
  auto models = store().ListModels();
  ASSERT_TRUE(models.ok());
  EXPECT_EQ(models->size(), 1u);
  // No versions yet: the latest does not resolve, and the list is empty.
  auto r = store().ResolveModel(VersionRef{"credit", std::nullopt, ""});
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("has no versions"), std::string::npos);
  auto list = store().ListModelVersions("credit");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_P(StoreConformance, RegistryUnknownThingsAreNotFoundWithWhatExists) {
  Register(store(), "credit-risk", 2);
  auto r = store().GetModelVersion("credit-risk", 9);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "model 'credit-risk' has no version 9 (versions: 1, 2)");
  r = store().GetModelVersion("churn", 1);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no registered model 'churn' (models: credit-risk)");
  EXPECT_EQ(store().ListModelVersions("churn").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().AliasHistory("churn", std::nullopt).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      store().SetModelVersionStatus("credit-risk", 3, ModelVersionStatus::kReady, "a", "").code(),
      StatusCode::kNotFound);
}

TEST_P(StoreConformance, SetModelVersionStatusIsAudited) {
  Register(store(), "credit-risk", 2);
  ASSERT_TRUE(store()
                  .SetModelVersionStatus("credit-risk", 2, ModelVersionStatus::kReady, "carol",
                                         "gates passed")
                  .ok());
  auto v = store().GetModelVersion("credit-risk", 2);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, ModelVersionStatus::kReady);
  auto v1 = store().GetModelVersion("credit-risk", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->status, ModelVersionStatus::kPending);
  // The same status again changes and records nothing.
  ASSERT_TRUE(store()
                  .SetModelVersionStatus("credit-risk", 2, ModelVersionStatus::kReady, "carol", "")
                  .ok());
  ASSERT_TRUE(store()
                  .SetModelVersionStatus("credit-risk", 2, ModelVersionStatus::kArchived, "dave",
                                         "superseded")
                  .ok());
  auto st = AuditOf(store(), "model.status");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].subject, "credit-risk@2");
  EXPECT_EQ(st[0].actor, "carol");
  auto d0 = core::ParseJson(st[0].details_json, "audit");
  ASSERT_TRUE(d0.ok());
  EXPECT_EQ((*d0)["from"], "pending");
  EXPECT_EQ((*d0)["to"], "ready");
  EXPECT_EQ((*d0)["reason"], "gates passed");
  auto d1 = core::ParseJson(st[1].details_json, "audit");
  ASSERT_TRUE(d1.ok());
  EXPECT_EQ((*d1)["from"], "ready");
  EXPECT_EQ((*d1)["to"], "archived");
  auto verdict = store().VerifyAudit();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
}

TEST_P(StoreConformance, ResolveModelByLatestVersionAndAlias) {
  Register(store(), "credit-risk", 3);
  ASSERT_TRUE(store().MoveAlias("credit-risk", "champion", 2, "alice", "best").ok());
  ASSERT_TRUE(store().MoveAlias("credit-risk", "challenger", 3, "alice", "").ok());

  auto latest = store().ResolveModel(VersionRef{"credit-risk", std::nullopt, ""});
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->version, 3);
  auto v1 = store().ResolveModel(VersionRef{"credit-risk", 1, ""});
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->bundle_hash, core::Sha256Hex("credit-risk0"));
  auto champ = store().ResolveModel(VersionRef{"credit-risk", std::nullopt, "champion"});
  ASSERT_TRUE(champ.ok()) << champ.status().ToString();
  EXPECT_EQ(champ->version, 2);
  // Through the parser, as the CLI does.
  auto ref = ParseVersionRef("credit-risk@challenger", true);
  ASSERT_TRUE(ref.ok());
  auto chall = store().ResolveModel(*ref);
  ASSERT_TRUE(chall.ok());
  EXPECT_EQ(chall->version, 3);

  auto bad = store().ResolveModel(VersionRef{"credit-risk", std::nullopt, "prod"});
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(),
            "model 'credit-risk' has no alias 'prod' (aliases: challenger, champion)");
  bad = store().ResolveModel(VersionRef{"credit-risk", 7, ""});
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bad.status().message().find("versions: 1, 2, 3"), std::string::npos);
  bad = store().ResolveModel(VersionRef{"nope", std::nullopt, "champion"});
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bad.status().message().find("'nope'"), std::string::npos);
  bad = store().ResolveModel(VersionRef{"nope", std::nullopt, ""});
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);

  auto models = store().ListModels();
  ASSERT_TRUE(models.ok());
  ASSERT_EQ(models->size(), 1u);
  EXPECT_EQ((*models)[0].aliases,
            (std::map<std::string, int64_t>{{"champion", 2}, {"challenger", 3}}));
}

TEST_P(StoreConformance, MoveAliasRecordsHistoryAndAudit) {
  Register(store(), "credit-risk", 3);
  std::vector<int64_t> times;  // a store time after each step
  times.push_back(Mark());
  ASSERT_TRUE(store().MoveAlias("credit-risk", "champion", 1, "alice", "first").ok());
  times.push_back(Mark());
  ASSERT_TRUE(store().MoveAlias("credit-risk", "champion", 2, "bob", "better auc").ok());
  times.push_back(Mark());
  // Moving to where it already points is a no-op that records nothing.
  ASSERT_TRUE(store().MoveAlias("credit-risk", "champion", 2, "bob", "again").ok());
  ASSERT_TRUE(store().MoveAlias("credit-risk", "challenger", 3, "carol", "try").ok());
  times.push_back(Mark());
  ASSERT_TRUE(store().MoveAlias("credit-risk", "champion", 1, "dave", "rollback").ok());
  ASSERT_TRUE(store().MoveAlias("credit-risk", "challenger", 0, "dave", "ended").ok());
  // Removing an alias that is not there records nothing either.
  ASSERT_TRUE(store().MoveAlias("credit-risk", "shadow", 0, "dave", "").ok());
  times.push_back(Mark());

  auto h = store().AliasHistory("credit-risk", std::nullopt);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(h->size(), 5u);
  const struct {
    const char* alias;
    int64_t from, to;
    const char* actor;
    const char* reason;
  } expect[] = {{"champion", 0, 1, "alice", "first"},
                {"champion", 1, 2, "bob", "better auc"},
                {"challenger", 0, 3, "carol", "try"},
                {"champion", 2, 1, "dave", "rollback"},
                {"challenger", 3, 0, "dave", "ended"}};
  for (size_t i = 0; i < 5; ++i) {
    const AliasMove& m = (*h)[i];
    EXPECT_EQ(m.model, "credit-risk");
    EXPECT_EQ(m.alias, expect[i].alias) << i;
    EXPECT_EQ(m.from_version, expect[i].from) << i;
    EXPECT_EQ(m.to_version, expect[i].to) << i;
    EXPECT_EQ(m.actor, expect[i].actor) << i;
    EXPECT_EQ(m.reason, expect[i].reason) << i;
    if (i > 0) {
      EXPECT_LE((*h)[i - 1].time_us, m.time_us);
    }
  }

  // History as of each time: the number of moves made by then, and the
  // version each alias held at that time, replayed from the moves.
  const size_t moves_by[] = {0, 1, 2, 3, 5};
  const std::map<std::string, int64_t> held_at[] = {{},
                                                    {{"champion", 1}},
                                                    {{"champion", 2}},
                                                    {{"champion", 2}, {"challenger", 3}},
                                                    {{"champion", 1}}};
  for (size_t t = 0; t < times.size(); ++t) {
    auto at = store().AliasHistory("credit-risk", times[t]);
    ASSERT_TRUE(at.ok());
    EXPECT_EQ(at->size(), moves_by[t]) << "at step " << t;
    std::map<std::string, int64_t> held;
    for (const AliasMove& m : *at) {
      if (m.to_version == 0) {
        held.erase(m.alias);
      } else {
        held[m.alias] = m.to_version;
      }
    }
    EXPECT_EQ(held, held_at[t]) << "at step " << t;
  }

  // The current aliases agree with the replayed history.
  auto models = store().ListModels();
  ASSERT_TRUE(models.ok());
  EXPECT_EQ((*models)[0].aliases, (std::map<std::string, int64_t>{{"champion", 1}}));

  // Every move shows up in the audit log, in the same order.
  auto moves = AuditOf(store(), "alias.move");
  ASSERT_EQ(moves.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(moves[i].subject, Cat("credit-risk@", expect[i].alias));
    EXPECT_EQ(moves[i].actor, expect[i].actor);
    auto d = core::ParseJson(moves[i].details_json, "audit");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ((*d)["from"], expect[i].from);
    EXPECT_EQ((*d)["to"], expect[i].to);
    EXPECT_EQ((*d)["reason"], expect[i].reason);
    EXPECT_EQ(moves[i].time_us, (*h)[i].time_us);
  }
  auto verdict = store().VerifyAudit();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
}

TEST_P(StoreConformance, MoveAliasValidates) {
  Register(store(), "credit-risk", 2);
  Status s = store().MoveAlias("credit-risk", "champion", 5, "a", "");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("has no version 5"), std::string::npos) << s.message();
  s = store().MoveAlias("churn", "champion", 1, "a", "");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("'churn'"), std::string::npos);
  EXPECT_EQ(store().MoveAlias("credit-risk", "latest", 1, "a", "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().MoveAlias("credit-risk", "2nd", 1, "a", "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().MoveAlias("credit-risk", "", 1, "a", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().MoveAlias("credit-risk", "champion", -1, "a", "").code(),
            StatusCode::kInvalidArgument);
  auto h = store().AliasHistory("credit-risk", std::nullopt);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->empty());
  EXPECT_TRUE(AuditOf(store(), "alias.move").empty());
}

TEST_P(StoreConformance, ConcurrentRegistrationsGetDistinctVersions) {
  constexpr int kThreads = 2;
  constexpr int kPerThread = 10;
  std::vector<std::unique_ptr<MetadataStore>> stores;
  for (int t = 0; t < kThreads; ++t) {
    stores.push_back(Reopen());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::vector<std::vector<int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto v = stores[t]->CreateModelVersion(
            MakeVersion("credit-risk", Cat(std::to_string(t), "/", std::to_string(i))), "x");
        if (!v.ok()) {
          ADD_FAILURE() << v.status().ToString();
          continue;
        }
        got[t].push_back(v->version);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<int64_t> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kPerThread);
  auto verdict = store().VerifyAudit();
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries, kThreads * kPerThread);
}

}  // namespace
}  // namespace mlpipe::store
