// Tests of the spec against its data: derived columns, unknown columns named
// at the line of their reference, the positive class and the task.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlpipe/core/env.h"
#include "mlpipe/pipeline/spec.h"
#include "mlpipe/table/read.h"

namespace mlpipe::pipeline {
namespace {

using ::testing::HasSubstr;

table::Table CreditG() {
  auto t = table::ReadTableFile(core::Env::Default(),
                                std::string(MLPIPE_SOURCE_DIR) + "/examples/data/credit-g.csv");
  EXPECT_TRUE(t.ok()) << t.status().message();
  return std::move(*t);
}

ProjectSpec Parse(const std::string& text) {
  std::vector<SpecError> errors;
  ProjectSpec s = ParseSpec(text, "mlpipe.yaml", &errors);
  EXPECT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors);
  return s;
}

TEST(SpecDataTest, CreditRiskExampleFitsItsData) {
  auto spec = LoadSpec(core::Env::Default(),
                       std::string(MLPIPE_SOURCE_DIR) + "/examples/credit-risk/mlpipe.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  auto data = table::ReadTableFile(core::Env::Default(), spec->TrainingDataPath());
  ASSERT_TRUE(data.ok()) << data.status().message();
  Status st = ValidateSpecAgainstData(*spec, *data);
  EXPECT_TRUE(st.ok()) << st.message();

  // The derived `sex` column, checked against the raw column row by row.
  auto derived = ApplyDerivedColumns(*spec, *data);
  ASSERT_TRUE(derived.ok()) << derived.status().message();
  const table::Column* sex = derived->FindColumn("sex");
  const table::Column* status = derived->FindColumn("personal_status");
  ASSERT_NE(sex, nullptr);
  size_t female = 0;
  for (size_t i = 0; i < sex->size(); ++i) {
    ASSERT_TRUE(sex->IsValid(i));
    bool f = status->ToStringAt(i).rfind("female", 0) == 0;
    EXPECT_EQ(sex->ToStringAt(i), f ? "female" : "male") << i;
    female += f;
  }
  EXPECT_EQ(female, 310u);  // `cut -d, -f9 credit-g.csv | grep -c ^female`
}

TEST(SpecDataTest, UnmappedValuesTakeTheDefaultOrAreMissing) {
  ProjectSpec s = Parse(
      "name: a\ndata:\n  sources:\n    - path: x\n  derived:\n"
      "    - {name: single, from: personal_status, map: {male single: yes}}\n"
      "    - {name: single2, from: personal_status, map: {male single: yes}, default: no}\n"
      "target: class\n");
  auto t = ApplyDerivedColumns(s, CreditG());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->FindColumn("single")->null_count(), 1000u - 548u);
  EXPECT_EQ(t->FindColumn("single2")->null_count(), 0u);
}

TEST(SpecDataTest, UnknownColumnsNameTheSpecLine) {
  ProjectSpec s = Parse(
      "name: a\n"
      "data:\n"
      "  sources:\n"
      "    - path: x\n"
      "  derived:\n"
      "    - {name: sex, from: personal_stat, map: {a: b}}\n"
      "target:\n"
      "  column: klass\n"
      "columns:\n"
      "  id: [row_id]\n"
      "  protected: [sex, agee]\n"
      "  pii: [{column: email, handling: pseudonymise}]\n");
  Status st = ValidateSpecAgainstData(s, CreditG());
  ASSERT_FALSE(st.ok());
  const std::string& m = st.message();
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:6:25: data.derived[].from: unknown column "
                           "'personal_stat' (did you mean 'personal_status'?); columns: "
                           "checking_status, duration,"));
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:8:11: target.column: unknown column 'klass' (did you "
                           "mean 'class'?)"));
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:10:8: columns.id: unknown column 'row_id'"));
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:11:20: columns.protected: unknown column 'agee' (did you "
                           "mean 'age'?)"));
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:12:18: columns.pii: unknown column 'email'"));
  // `sex` is derived (even though its derivation failed): not reported as unknown.
  EXPECT_THAT(m, ::testing::Not(HasSubstr("unknown column 'sex'")));
}

TEST(SpecDataTest, PositiveClassMustBeAClass) {
  ProjectSpec s = Parse(
      "name: a\ndata:\n  sources:\n    - path: x\n"
      "target:\n  column: class\n  positive: Bad\n");
  Status st = ValidateSpecAgainstData(s, CreditG());
  EXPECT_THAT(st.message(), HasSubstr("mlpipe.yaml:7:13: target.positive: 'Bad' is not a class "
                                      "of 'class'; classes: bad, good"));
}

TEST(SpecDataTest, TaskAndMetricsAreCheckedAgainstTheData) {
  ProjectSpec s = Parse(
      "name: a\ndata:\n  sources:\n    - path: x\n"
      "target:\n  column: credit_amount\n  positive: bad\n"
      "kpis:\n  primary: roc_auc\n  constraints: [rmse < 2000]\n"
      "models: [logreg, gbdt]\n");
  Status st = ValidateSpecAgainstData(s, CreditG());
  const std::string& m = st.message();
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:7:13: target.positive: 'credit_amount' is a regression "
                           "target"));
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:9:12: kpis.primary: metric 'roc_auc' does not fit a "
                           "regression target"));
  EXPECT_THAT(m, HasSubstr("mlpipe.yaml:11:10: models: 'logreg' does not support a regression "
                           "target"));
  EXPECT_THAT(m, ::testing::Not(HasSubstr("kpis.constraints")));
  EXPECT_THAT(m, ::testing::Not(HasSubstr("'gbdt'")));

  ProjectSpec t = Parse(
      "name: a\ndata:\n  sources:\n    - path: x\n"
      "target:\n  column: class\n  task: multiclass\n");
  EXPECT_THAT(ValidateSpecAgainstData(t, CreditG()).message(),
              HasSubstr("mlpipe.yaml:7:9: target.task: task multiclass: target 'class' has 2 "
                        "distinct values (good, bad); multiclass needs at least 3 (use binary)"));
  // A stated task that fits wins over the inferred one: installment_commitment
  // (integers 1..4, inferred multiclass) as a regression target.
  ProjectSpec u = Parse(
      "name: a\ndata:\n  sources:\n    - path: x\n"
      "target:\n  column: installment_commitment\n  task: regression\n"
      "kpis:\n  primary: rmse\n");
  EXPECT_TRUE(ValidateSpecAgainstData(u, CreditG()).ok())
      << ValidateSpecAgainstData(u, CreditG()).message();
}

TEST(SpecDataTest, BandsNeedANumericColumn) {
  ProjectSpec s = Parse(
      "name: a\ndata:\n  sources:\n    - path: x\ntarget: class\n"
      "columns:\n  pii:\n    - {column: job, handling: generalise, bands: [1, 2]}\n"
      "    - {column: age, handling: generalise, bands: [30, 50]}\n");
  Status st = ValidateSpecAgainstData(s, CreditG());
  EXPECT_THAT(st.message(), HasSubstr("mlpipe.yaml:8:16: columns.pii: 'job' is not numeric"));
  EXPECT_THAT(st.message(), ::testing::Not(HasSubstr("'age'")));
}

}  // namespace
}  // namespace mlpipe::pipeline
