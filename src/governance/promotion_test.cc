// Gates, approvals, promotion and rollback on a real SQLite store.
#include "mlpipe/governance/promotion.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "mlpipe/core/json_util.h"

namespace mlpipe::governance {
namespace {

class Promotion : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlpipe_promo_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto meta = store::OpenMetadataStore(dir_ + "/meta.db");
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    meta_ = std::move(meta).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Registers a version whose recorded evidence passes (or fails) every gate.
  int64_t Register(bool kpi_passes, bool with_evidence = true) {
    core::Json evidence = {{"validation", {{"passed", true}, {"detail", "no anomalies"}}},
                           {"kpis",
                            {{{"name", "roc_auc >= 0.75"},
                              {"passed", kpi_passes},
                              {"evidence", kpi_passes ? "roc_auc = 0.79" : "roc_auc = 0.70"}}}},
                           {"fairness",
                            {{{"name", "demographic_parity_ratio(sex) >= 0.8"},
                              {"passed", true},
                              {"evidence", "0.91 [0.83, 0.99]"}}}},
                           {"champion", {{"passed", true}, {"evidence", "no champion yet"}}},
                           {"required_approvals", {{{"role", "risk-officer"}, {"count", 1}}}}};
    store::ModelVersion v;
    v.model = "credit-risk";
    v.bundle_hash = std::string(64, 'a');
    v.metrics_json = with_evidence ? core::Json({{"evidence", evidence}}).dump() : "{}";
    auto created = meta_->CreateModelVersion(v, "pipeline");
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created->version;
  }

  IntegrationCheck Passing() {
    return [](const store::ModelVersion&) -> Result<std::string> {
      return std::string("loads in a fresh process; 40 golden predictions reproduced");
    };
  }

  std::vector<std::string> AuditActions(const std::string& subject) {
    std::vector<std::string> out;
    auto entries = meta_->ReadAudit(std::nullopt, subject);
    EXPECT_TRUE(entries.ok());
    if (!entries.ok()) return out;
    for (const auto& e : entries.value()) out.push_back(e.action);
    return out;
  }

  std::string dir_;
  std::unique_ptr<store::MetadataStore> meta_;
};

TEST_F(Promotion, MissingEvidenceFailsEveryGateThatNeedsIt) {
  const int64_t v = Register(true, /*with_evidence=*/false);
  auto r = EvaluateGates(*meta_, "credit-risk", v, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->all_passed());
  EXPECT_EQ(r->failing(),
            (std::vector<std::string>{"validation", "kpi", "fairness", "champion", "integration"}));
}

TEST_F(Promotion, RefusedUntilApprovedThenPromotedAndAudited) {
  const int64_t v = Register(true);
  auto refused = Promote(*meta_, "credit-risk", v, "champion", "ana", Passing());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("approval: risk-officer x1"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(meta_->ResolveModel({"credit-risk", std::nullopt, "champion"}).ok());

  ASSERT_TRUE(Approve(*meta_, "credit-risk", v, "risk-officer", "bo", "checked the card").ok());
  EXPECT_EQ(Approve(*meta_, "credit-risk", v, "risk-officer", "bo", "").code(),
            StatusCode::kAlreadyExists);
  auto ok = Promote(*meta_, "credit-risk", v, "champion", "ana", Passing());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->all_passed());
  auto champion = meta_->ResolveModel({"credit-risk", std::nullopt, "champion"});
  ASSERT_TRUE(champion.ok());
  EXPECT_EQ(champion->version, v);
  EXPECT_EQ(champion->status, store::ModelVersionStatus::kReady);

  const auto actions = AuditActions("credit-risk@" + std::to_string(v));
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "promote.refused"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "approve"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "promote"), 1);
  EXPECT_TRUE(meta_->VerifyAudit()->ok);
}

TEST_F(Promotion, FailingKpiAndIntegrationAreNamed) {
  const int64_t v = Register(false);
  ASSERT_TRUE(Approve(*meta_, "credit-risk", v, "risk-officer", "bo", "").ok());
  IntegrationCheck broken = [](const store::ModelVersion&) -> Result<std::string> {
    return DataLossError("bundle: part model.json: checksum mismatch");
  };
  auto r = Promote(*meta_, "credit-risk", v, "champion", "ana", broken);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kpi: roc_auc >= 0.75"), std::string::npos);
  EXPECT_NE(r.status().message().find("integration"), std::string::npos);
  auto report = EvaluateGates(*meta_, "credit-risk", v, broken);
  ASSERT_TRUE(report.ok());
  for (const auto& g : report->gates) {
    if (g.name == "integration") {
      EXPECT_NE(g.evidence.find("checksum"), std::string::npos);
    }
  }
}

TEST_F(Promotion, RollbackMovesChampionBackToThePreviousHolder) {
  const int64_t v1 = Register(true);
  const int64_t v2 = Register(true);
  for (int64_t v : {v1, v2}) {
    ASSERT_TRUE(Approve(*meta_, "credit-risk", v, "risk-officer", "bo", "").ok());
    ASSERT_TRUE(Promote(*meta_, "credit-risk", v, "champion", "ana", Passing()).ok());
  }
  EXPECT_EQ(meta_->ResolveModel({"credit-risk", std::nullopt, "champion"})->version, v2);
  auto back = Rollback(*meta_, "credit-risk", "champion", "ana", "drift on new data");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->from_version, v2);
  EXPECT_EQ(back->to_version, v1);
  EXPECT_EQ(meta_->ResolveModel({"credit-risk", std::nullopt, "champion"})->version, v1);
  auto history = meta_->AliasHistory("credit-risk", std::nullopt);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().reason, "rollback: drift on new data");
  // The rollback, then the alias move it made (both under MODEL@ALIAS).
  const auto actions = AuditActions("credit-risk@champion");
  ASSERT_GE(actions.size(), 2u);
  EXPECT_EQ(actions[actions.size() - 2], "rollback");
  EXPECT_EQ(actions.back(), "alias.move");

  auto none = Rollback(*meta_, "credit-risk", "challenger", "ana", "");
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(Promotion, UnknownVersionIsNotFound) {
  EXPECT_EQ(EvaluateGates(*meta_, "credit-risk", 9, nullptr).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Approve(*meta_, "nope", 1, "r", "b", "").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::governance
