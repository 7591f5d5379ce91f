// Tests of the spec parser: a full spec read into the expected structs, the
// writer's round trip, and bad specs each reported at the exact
// mlpipe.yaml:LINE:COLUMN with the message that names the fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlpipe/core/env.h"
#include "mlpipe/pipeline/spec.h"

namespace mlpipe::pipeline {
namespace {

using ::testing::HasSubstr;

// A valid spec, minimal apart from the section a test varies.
constexpr const char* kMinimal =
    "name: demo\n"
    "data:\n"
    "  sources:\n"
    "    - path: d.csv\n"
    "target:\n"
    "  column: y\n";

std::string Errors(const std::string& text) {
  std::vector<SpecError> errors;
  ParseSpec(text, "mlpipe.yaml", &errors);
  return FormatSpecErrors("mlpipe.yaml", errors);
}

TEST(SpecTest, SettingsChangeValuesAndKeepThePositionsOfTheRest) {
  std::vector<SpecError> errors;
  std::string effective;
  const std::string text = std::string(kMinimal) + "seed: 1\nsplit:\n  test_size: 0.5\n";
  ProjectSpec s =
      ParseSpec(text, "mlpipe.yaml", {"search.trials=3", "seed=9", "split.stratify=false"}, &errors,
                &effective);
  ASSERT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors);
  EXPECT_EQ(s.search.trials, 3);
  EXPECT_EQ(s.seed, 9u);
  EXPECT_FALSE(s.split.stratify);
  EXPECT_EQ(s.split.test_size, 0.5);
  EXPECT_EQ(s.target.column.mark.line, 6);  // untouched: its line in the file
  // The effective text reads back to the same values.
  std::vector<SpecError> again_errors;
  ProjectSpec again = ParseSpec(effective, "x", &again_errors);
  ASSERT_TRUE(again_errors.empty());
  EXPECT_EQ(again.search.trials, 3);
  EXPECT_EQ(again.seed, 9u);
  // A bad value is reported against the key it reaches; a bad setting names itself.
  errors.clear();
  ParseSpec(text, "mlpipe.yaml", {"search.trials=many"}, &errors, nullptr);
  EXPECT_THAT(FormatSpecErrors("mlpipe.yaml", errors), HasSubstr("trials"));
  errors.clear();
  ParseSpec(text, "mlpipe.yaml", {"seed.x=1"}, &errors, nullptr);
  EXPECT_THAT(FormatSpecErrors("mlpipe.yaml", errors), HasSubstr("--set seed.x=1"));
  errors.clear();
  ParseSpec(text, "mlpipe.yaml", {"novalue"}, &errors, nullptr);
  EXPECT_THAT(FormatSpecErrors("mlpipe.yaml", errors), HasSubstr("expected KEY=VALUE"));
}

TEST(SpecTest, MinimalSpecTakesDefaults) {
  std::vector<SpecError> errors;
  ProjectSpec s = ParseSpec(kMinimal, "proj/mlpipe.yaml", &errors);
  ASSERT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors);
  EXPECT_EQ(s.name, "demo");
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].name, "data");
  EXPECT_EQ(s.TrainingDataPath(), "proj/d.csv");
  EXPECT_EQ(s.target.column.name, "y");
  EXPECT_EQ(s.target.column.mark.line, 6);
  EXPECT_EQ(s.target.column.mark.column, 11);
  EXPECT_TRUE(s.features.is_null());
  EXPECT_TRUE(s.models.empty());
  EXPECT_EQ(s.search.ToSearchSpec(), "random:20");
  EXPECT_EQ(s.search.cv, 5);
  EXPECT_DOUBLE_EQ(s.split.test_size, 0.2);
  EXPECT_TRUE(s.split.stratify);
  EXPECT_EQ(s.seed, 0u);
  EXPECT_DOUBLE_EQ(s.governance.proxy.threshold, 0.5);
  EXPECT_TRUE(s.governance.gates.kpis);
  EXPECT_FALSE(s.interpretability_required);
}

TEST(SpecTest, CreditRiskExampleParsesIntoTheExpectedStructs) {
  auto env = core::Env::Default();
  auto spec = LoadSpec(env, std::string(MLPIPE_SOURCE_DIR) + "/examples/credit-risk/mlpipe.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  const ProjectSpec& s = *spec;
  EXPECT_EQ(s.name, "credit-risk");
  EXPECT_THAT(s.objective, HasSubstr("default"));
  ASSERT_EQ(s.sources.size(), 1u);
  EXPECT_EQ(s.sources[0].path, "../data/credit-g.csv");
  ASSERT_EQ(s.derived.size(), 1u);
  EXPECT_EQ(s.derived[0].name, "sex");
  EXPECT_EQ(s.derived[0].from.name, "personal_status");
  EXPECT_EQ(s.derived[0].map.at("female div/dep/mar"), "female");
  EXPECT_EQ(s.derived[0].map.size(), 4u);
  EXPECT_EQ(s.target.column.name, "class");
  EXPECT_EQ(s.target.positive, "bad");
  EXPECT_EQ(s.target.task, "binary");
  ASSERT_EQ(s.columns.protected_columns.size(), 3u);
  EXPECT_EQ(s.columns.protected_columns[1].name, "age");
  EXPECT_TRUE(s.columns.ignore.empty());  // personal_status stays a feature (a proxy of sex)
  EXPECT_EQ(s.kpis.primary, "roc_auc");
  EXPECT_EQ(s.kpis.direction, "maximize");
  ASSERT_EQ(s.kpis.constraints.size(), 1u);
  EXPECT_EQ(s.kpis.constraints[0].metric, "roc_auc");
  EXPECT_EQ(s.kpis.constraints[0].op, ">=");
  EXPECT_DOUBLE_EQ(s.kpis.constraints[0].value, 0.75);
  EXPECT_TRUE(s.kpis.constraints[0].Holds(0.75));
  EXPECT_FALSE(s.kpis.constraints[0].Holds(0.7499));
  ASSERT_EQ(s.kpis.fairness.size(), 1u);
  EXPECT_EQ(s.kpis.fairness[0].metric, "demographic_parity_ratio");
  EXPECT_DOUBLE_EQ(s.kpis.fairness[0].value, 0.8);
  EXPECT_TRUE(s.kpis.fairness[0].columns.empty());
  EXPECT_DOUBLE_EQ(*s.kpis.latency_budget_ms, 50);
  ASSERT_EQ(s.models.size(), 3u);
  EXPECT_EQ(s.models[0].family, "logreg");
  EXPECT_EQ(s.models[1].family, "gbdt");
  ASSERT_EQ(s.models[1].search.size(), 2u);
  EXPECT_EQ(s.models[1].search[0].name, "max_depth");
  EXPECT_TRUE(s.models[1].search[0].numeric);
  EXPECT_DOUBLE_EQ(s.models[1].search[0].max, 6);
  EXPECT_EQ(s.models[2].family, "rf");
  EXPECT_EQ(s.search.ToSearchSpec(), "random:20");
  EXPECT_EQ(s.search.cv, 5);
  EXPECT_EQ(s.seed, 42u);
  ASSERT_EQ(s.governance.approvals.size(), 1u);
  EXPECT_EQ(s.governance.approvals[0].role, "risk-officer");
  EXPECT_EQ(s.governance.approvals[0].count, 1);
  EXPECT_DOUBLE_EQ(s.governance.gates.champion_margin, 0.005);
  EXPECT_EQ(s.governance.proxy.methods.size(), 3u);
  EXPECT_EQ(s.register_model, "credit-risk");
}

TEST(SpecTest, WriterRoundTrips) {
  auto env = core::Env::Default();
  auto spec = LoadSpec(env, std::string(MLPIPE_SOURCE_DIR) + "/examples/credit-risk/mlpipe.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  spec->features =
      core::Json::array({{{"name", "impute"}, {"columns", {"age"}}, {"strategy", "median"}}});
  PiiColumn zip;
  zip.column.name = "zip";
  zip.handling = PiiHandling::kGeneralise;
  zip.prefix = 3;
  spec->columns.pii.push_back(zip);
  std::string yaml = SpecToYaml(*spec, nullptr, "a header\nof two lines");
  std::vector<SpecError> errors;
  ProjectSpec back = ParseSpec(yaml, "x/mlpipe.yaml", &errors);
  ASSERT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors) << "\n" << yaml;
  EXPECT_EQ(SpecToYaml(back, nullptr, "a header\nof two lines"), yaml);
  EXPECT_EQ(back.features, spec->features);
  ASSERT_EQ(back.columns.pii.size(), 1u);
  EXPECT_EQ(back.columns.pii[0].prefix, 3);
  EXPECT_EQ(back.derived[0].map, spec->derived[0].map);
  EXPECT_EQ(back.kpis.constraints[0].op, ">=");
}

TEST(SpecTest, SyntaxErrorHasLineAndColumn) {
  EXPECT_THAT(Errors("name: demo\ndata: [a, b\ntarget: y\n"),
              HasSubstr("mlpipe.yaml:3:7: YAML syntax error"));
}

TEST(SpecTest, EmptyFile) {
  EXPECT_THAT(Errors(""), HasSubstr("mlpipe.yaml:1:1: spec: the file is empty"));
}

TEST(SpecTest, UnknownKeySuggestsTheClosest) {
  std::string e = Errors(std::string(kMinimal) + "serch:\n  trials: 5\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:7:1: spec: unknown key 'serch' (did you mean 'search'?)"));
  EXPECT_THAT(e, HasSubstr("valid keys: name, objective, data"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "search:\n  trails: 5\n"),
              HasSubstr("mlpipe.yaml:8:3: search: unknown key 'trails' (did you mean 'trials'?)"));
}

TEST(SpecTest, RepeatedKey) {
  EXPECT_THAT(Errors(std::string(kMinimal) + "seed: 1\nseed: 2\n"),
              HasSubstr("mlpipe.yaml:8:1: spec: key 'seed' is given twice"));
}

TEST(SpecTest, MissingRequiredKeys) {
  std::string e = Errors("objective: x\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:1:1: spec: missing required key 'name'"));
  EXPECT_THAT(e, HasSubstr("missing required key 'data'"));
  EXPECT_THAT(e, HasSubstr("missing required key 'target'"));
  EXPECT_THAT(Errors("name: a\ndata:\n  sources:\n    - name: x\ntarget: y\n"),
              HasSubstr("mlpipe.yaml:4:7: data.sources[]: missing required key 'path'"));
}

TEST(SpecTest, WrongTypes) {
  EXPECT_THAT(Errors(std::string(kMinimal) + "seed: abc\n"),
              HasSubstr("mlpipe.yaml:7:7: seed: expected an integer, found 'abc'"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "search:\n  cv: 2.5\n"),
              HasSubstr("mlpipe.yaml:8:7: search.cv: expected an integer, found '2.5'"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "split: 0.3\n"),
              HasSubstr("mlpipe.yaml:7:8: split: expected a map with keys test_size, stratify"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "columns:\n  id: row_id\n"),
              HasSubstr("mlpipe.yaml:8:7: columns.id: expected a list, found 'row_id'"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "split:\n  stratify: maybe\n"),
              HasSubstr("mlpipe.yaml:8:13: split.stratify: expected true or false"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "name2: x\nkpis:\n  latency_budget_ms: [1]\n"),
              HasSubstr("mlpipe.yaml:9:22: kpis.latency_budget_ms: expected a number, found a "
                        "list"));
}

TEST(SpecTest, ValuesOutOfRange) {
  EXPECT_THAT(Errors(std::string(kMinimal) + "split:\n  test_size: 1.5\n"),
              HasSubstr("mlpipe.yaml:8:14: split.test_size: must be in (0, 1), found 1.5"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "search:\n  cv: 1\n"),
              HasSubstr("mlpipe.yaml:8:7: search.cv: must be between 2 and 100000, found 1"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "governance:\n  proxy:\n    threshold: 0\n"),
              HasSubstr("mlpipe.yaml:9:16: governance.proxy.threshold: must be in (0, 1]"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "kpis:\n  latency_budget_ms: -3\n"),
              HasSubstr("mlpipe.yaml:8:22: kpis.latency_budget_ms: must be > 0"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "governance:\n  approvals:\n    - role: cro\n"
                                             "      count: 0\n"),
              HasSubstr("mlpipe.yaml:10:14: governance.approvals[].count: must be >= 1"));
}

TEST(SpecTest, UnknownEnumValues) {
  EXPECT_THAT(Errors(std::string(kMinimal) + "search:\n  strategy: randm\n"),
              HasSubstr("mlpipe.yaml:8:13: search.strategy: unknown strategy 'randm' (did you "
                        "mean 'random'?)"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "columns:\n  pii:\n    - column: email\n"
                                             "      handling: encrypt\n"),
              HasSubstr("mlpipe.yaml:10:17: columns.pii[].handling: unknown handling 'encrypt'; "
                        "valid: drop, pseudonymise, generalise"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "columns:\n  pii:\n    - column: zip\n"
                                             "      handling: drop\n      prefix: 2\n"),
              HasSubstr("mlpipe.yaml:10:17: columns.pii[]: 'bands' and 'prefix' apply to "
                        "handling generalise only"));
  EXPECT_EQ(Errors(std::string(kMinimal) + "columns:\n  pii:\n    - column: zip\n"
                                           "      handling: generalise\n"),
            "");
  EXPECT_THAT(Errors("name: a\ndata:\n  sources:\n    - path: x\n      format: xls\ntarget: y\n"),
              HasSubstr("mlpipe.yaml:5:15: data.sources[].format: unknown format 'xls'"));
}

TEST(SpecTest, UnknownFamilyListsTheValidOnes) {
  std::string e = Errors(std::string(kMinimal) + "models:\n  - logreg\n  - xgboost\n  - gbtd\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:9:5: models: unknown family 'xgboost'; valid families: "
                           "logreg, linear, ridge, gbdt, rf, tree"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:10:5: models: unknown family 'gbtd' (did you mean "
                           "'gbdt'?)"));
}

TEST(SpecTest, SearchSpaceOverrides) {
  std::string e = Errors(std::string(kMinimal) +
                         "models:\n"
                         "  - family: gbdt\n"
                         "    search:\n"
                         "      max_dept: [2, 4]\n"
                         "      learning_rate: [0.5, 0.1]\n"
                         "      n_estimators: [1, 100000]\n"
                         "  - family: logreg\n"
                         "    search:\n"
                         "      penalty: [l2, l3]\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:10:7: models[].search: 'gbdt' has no hyperparameter "
                           "'max_dept' (did you mean 'max_depth'?)"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:11:7: models[].search.learning_rate: min 0.5 is greater "
                           "than max 0.1"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:12:7: models[].search.n_estimators: [1, 100000] is "
                           "outside"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:15:7: models[].search.penalty: unknown choice 'l3'"));
}

TEST(SpecTest, InterpretabilityLimitsFamilies) {
  std::string e = Errors(std::string(kMinimal) +
                         "interpretability:\n  required: true\nmodels: [logreg, gbdt, tree]\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:9:18: models: 'gbdt' is not interpretable, and "
                           "interpretability.required is true; interpretable families: logreg, "
                           "linear, ridge, tree"));
  EXPECT_THAT(e, ::testing::Not(HasSubstr("'logreg' is not")));
}

TEST(SpecTest, UnknownMetricsListTheValidOnes) {
  std::string e = Errors(std::string(kMinimal) +
                         "columns:\n  protected: [sex]\n"
                         "kpis:\n"
                         "  primary: roc_acu\n"
                         "  constraints:\n"
                         "    - f2 >= 0.5\n"
                         "    - metric: demographic_parity_ratio\n"
                         "      op: '>='\n"
                         "      value: 0.8\n"
                         "  fairness:\n"
                         "    - demographic_parity_ratoi >= 0.8\n"
                         "    - roc_auc >= 0.7\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:10:12: kpis.primary: unknown metric 'roc_acu' (did you "
                           "mean 'roc_auc'?); valid metrics: accuracy,"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:12:7: kpis.constraints: unknown metric 'f2'"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:13:7: kpis.constraints: 'demographic_parity_ratio' is a "
                           "fairness metric: list it under kpis.fairness"));
  EXPECT_THAT(e,
              HasSubstr("mlpipe.yaml:17:7: kpis.fairness: unknown metric "
                        "'demographic_parity_ratoi' (did you mean 'demographic_parity_ratio'?)"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:18:7: kpis.fairness: 'roc_auc' is not a fairness metric"));
}

TEST(SpecTest, MetricThatDoesNotFitTheStatedTask) {
  std::string e = Errors(
      "name: a\ndata:\n  sources:\n    - path: x\ntarget:\n  column: price\n  task: regression\n"
      "kpis:\n  primary: roc_auc\n  constraints:\n    - rmse <= 3\n    - accuracy > 0.5\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:9:12: kpis.primary: metric 'roc_auc' does not fit a "
                           "regression target; metrics that do: rmse, mae, r2"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:12:7: kpis.constraints: metric 'accuracy' does not fit"));
  EXPECT_THAT(e, ::testing::Not(HasSubstr("'rmse'")));
  EXPECT_THAT(Errors("name: a\ndata:\n  sources:\n    - path: x\ntarget:\n  column: price\n"
                     "  task: regression\nmodels: [logreg]\n"),
              HasSubstr("mlpipe.yaml:8:10: models: 'logreg' does not support a regression target"));
}

TEST(SpecTest, BadConstraintForms) {
  std::string e = Errors(std::string(kMinimal) +
                         "kpis:\n  constraints:\n    - roc_auc => 0.7\n    - metric: roc_auc\n"
                         "      op: '=='\n      value: x\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:9:7: kpis.constraints[]: expected 'METRIC OP VALUE'"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:11:11: kpis.constraints[].op: expected one of >=, >, "
                           "<=, <, found '=='"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:12:14: kpis.constraints[].value: expected a number"));
}

TEST(SpecTest, ColumnRoleConflicts) {
  std::string e = Errors(std::string(kMinimal) +
                         "columns:\n  id: [cid]\n  protected: [sex, cid]\n  ignore: [y]\n"
                         "kpis:\n  fairness:\n    - metric: demographic_parity_ratio\n"
                         "      op: '>='\n      value: 0.8\n      columns: [race]\n");
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:9:20: columns.protected: 'cid' is already listed under "
                           "id (line 8)"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:10:12: columns.ignore: 'y' is the target column"));
  EXPECT_THAT(e, HasSubstr("mlpipe.yaml:16:17: kpis.fairness[].columns: 'race' is not listed "
                           "under columns.protected"));
  EXPECT_THAT(
      Errors(std::string(kMinimal) + "kpis:\n  fairness: [demographic_parity_ratio >= 0.8]\n"),
      HasSubstr("mlpipe.yaml:8:14: kpis.fairness: 'demographic_parity_ratio' needs a "
                "protected column, and columns.protected is empty"));
}

TEST(SpecTest, BadFeaturePipeline) {
  EXPECT_THAT(Errors(std::string(kMinimal) + "features: manual\n"),
              HasSubstr("mlpipe.yaml:7:11: features: expected 'auto' or a feature pipeline"));
  EXPECT_THAT(Errors(std::string(kMinimal) + "features:\n  - name: imputer\n    columns: [a]\n"),
              HasSubstr("mlpipe.yaml:8:3: features: "));
  std::vector<SpecError> errors;
  ProjectSpec s = ParseSpec(
      std::string(kMinimal) + "features:\n  - {name: impute, columns: [a], strategy: median}\n",
      "mlpipe.yaml", &errors);
  EXPECT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors);
  EXPECT_EQ(s.features[0]["strategy"], "median");
}

TEST(SpecTest, EveryErrorIsReportedInFileOrder) {
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->CreateDirs("p").ok());
  ASSERT_TRUE(env->WriteFileAtomic("p/mlpipe.yaml", "name: 'bad name'\nseed: x\ndata: 3\n").ok());
  auto spec = LoadSpec(env.get(), "p/mlpipe.yaml");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  std::string m = spec.status().message();
  EXPECT_EQ(m.find("p/mlpipe.yaml:1:1: spec: missing required key 'target'\n"
                   "p/mlpipe.yaml:1:7: name: 'bad name' is not a valid name"),
            0u)
      << m;
  size_t a = m.find("p/mlpipe.yaml:2:7: seed");
  size_t b = m.find("p/mlpipe.yaml:3:7: data: expected a map");
  ASSERT_NE(a, std::string::npos) << m;
  ASSERT_NE(b, std::string::npos) << m;
  EXPECT_LT(a, b);
  EXPECT_EQ(LoadSpec(env.get(), "nope/mlpipe.yaml").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::pipeline
