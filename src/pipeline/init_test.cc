// Tests of `mlpipe init`: role guesses on the example data and on synthetic
// columns, and the written spec loading and fitting its data.
#include "mlpipe/pipeline/init.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>

#include "mlpipe/table/read.h"

namespace mlpipe::pipeline {
namespace {

using ::testing::HasSubstr;

std::string Data(const std::string& name) {
  return std::string(MLPIPE_SOURCE_DIR) + "/examples/data/" + name;
}

std::string TempDir(const std::string& name) {
  std::string leaf = "mlpipe_init_test_";
  leaf.append(std::to_string(::getpid())).append("_").append(name);
  auto dir = std::filesystem::temp_directory_path() / leaf;
  std::filesystem::remove_all(dir);
  return dir.string();
}

std::vector<std::string> Names(const std::vector<ColumnRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.name);
  return out;
}

TEST(InitTest, CreditG) {
  core::Env* env = core::Env::Default();
  std::string dir = TempDir("credit_g");
  auto r = InitProject(env, {.dir = dir,
                             .data = Data("credit-g.csv"),
                             .target = "class",
                             .positive = "bad",
                             .force = false});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(Names(r->spec.columns.protected_columns),
              ::testing::ElementsAre("personal_status", "age", "foreign_worker"));
  EXPECT_TRUE(r->spec.columns.id.empty());
  EXPECT_TRUE(r->spec.columns.pii.empty());  // own_telephone (yes/none) is not a phone number
  EXPECT_THAT(r->yaml, HasSubstr("- personal_status  # check: looks like a protected attribute"));
  EXPECT_THAT(r->yaml, HasSubstr("- age  # check: looks like a protected attribute"));

  // The file as written loads and fits its data.
  auto spec = LoadSpec(env, dir + "/mlpipe.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->target.positive, "bad");
  EXPECT_EQ(spec->target.task, "binary");
  EXPECT_EQ(spec->kpis.primary, "roc_auc");
  ASSERT_EQ(spec->kpis.fairness.size(), 1u);
  EXPECT_EQ(spec->kpis.fairness[0].metric, "demographic_parity_ratio");
  EXPECT_EQ(spec->models.size(), 3u);
  EXPECT_EQ(spec->search.ToSearchSpec(), "random:20");
  EXPECT_EQ(spec->search.cv, 5);
  EXPECT_TRUE(std::filesystem::equivalent(spec->TrainingDataPath(), Data("credit-g.csv")));
  auto data = table::ReadTableFile(env, spec->TrainingDataPath());
  ASSERT_TRUE(data.ok());
  Status st = ValidateSpecAgainstData(*spec, *data);
  EXPECT_TRUE(st.ok()) << st.message();

  // Refuses to overwrite, unless forced.
  auto again = InitProject(env, {.dir = dir,
                                 .data = Data("credit-g.csv"),
                                 .target = "class",
                                 .positive = "",
                                 .force = false});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("--force"));
  auto forced = InitProject(env, {.dir = dir,
                                  .data = Data("credit-g.csv"),
                                  .target = "class",
                                  .positive = "good",
                                  .force = true});
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  EXPECT_EQ(forced->spec.target.positive, "good");
  std::filesystem::remove_all(dir);
}

TEST(InitTest, CreditData) {
  core::Env* env = core::Env::Default();
  std::string dir = TempDir("credit_data");
  auto r = InitProject(env, {.dir = dir,
                             .data = Data("credit_data.csv"),
                             .target = "Status",
                             .positive = "bad",
                             .force = false});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(Names(r->spec.columns.protected_columns), ::testing::ElementsAre("Age", "Marital"));
  auto spec = LoadSpec(env, r->spec_path);
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  auto data = table::ReadTableFile(env, spec->TrainingDataPath());
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(ValidateSpecAgainstData(*spec, *data).ok());
  std::filesystem::remove_all(dir);
}

TEST(InitTest, RegressionTargetGetsRegressionDefaults) {
  auto data = table::ReadTableFile(core::Env::Default(), Data("cpu.csv"));
  ASSERT_TRUE(data.ok());
  std::string target = data->column(data->num_columns() - 1).name();
  std::vector<RoleGuess> guesses;
  auto s = InferSpec(
      *data, {.dir = "cpu", .data = "cpu.csv", .target = target, .positive = "", .force = false},
      &guesses);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->target.task, "regression");
  EXPECT_EQ(s->kpis.primary, "rmse");
  EXPECT_EQ(s->kpis.direction, "minimize");
  EXPECT_EQ(s->models[0].family, "ridge");
  EXPECT_FALSE(s->split.stratify);
  EXPECT_TRUE(s->kpis.fairness.empty());
}

TEST(InitTest, GuessesIdsPersonalDataAndConstants) {
  table::Table t;
  std::vector<std::string> ids, emails, phones, names, zips, flags, y;
  std::vector<int64_t> seq, consts, ages;
  for (int i = 0; i < 100; ++i) {
    std::string n = std::to_string(i);
    ids.push_back(std::string("u").append(std::to_string(1000 + i)));
    emails.push_back(std::string("person").append(n).append("@example.com"));
    phones.push_back(std::string("+44 20 7946 ").append(std::to_string(1000 + i)));
    names.push_back(std::string("Name").append(n));
    zips.push_back(std::string("SW1A ").append(std::to_string(i % 7)));
    flags.push_back(i % 2 ? "yes" : "none");
    y.push_back(i % 3 ? "a" : "b");
    seq.push_back(i);
    consts.push_back(7);
    ages.push_back(20 + i % 50);
  }
  ASSERT_TRUE(t.AddColumn(table::Column::String("customer_ref", ids)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("contact", emails)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("tel", phones)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("FullName", names)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("postcode", zips)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("own_telephone", flags)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("row_id", seq)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("version", consts)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("ApplicantAge", ages)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("y", y)).ok());
  auto g = GuessRoles(t, "y");
  ASSERT_TRUE(g.ok());
  std::map<std::string, std::string> role;
  for (const auto& x : *g) role[x.column] = x.role;
  EXPECT_EQ(role["customer_ref"], "id");
  EXPECT_EQ(role["contact"], "pii");
  EXPECT_EQ(role["tel"], "pii");
  EXPECT_EQ(role["FullName"], "pii");
  EXPECT_EQ(role["postcode"], "pii");
  EXPECT_EQ(role.count("own_telephone"), 0u);
  EXPECT_EQ(role["row_id"], "id");
  EXPECT_EQ(role["version"], "ignore");
  EXPECT_EQ(role["ApplicantAge"], "protected");
  EXPECT_EQ(role.count("y"), 0u);

  std::vector<RoleGuess> guesses;
  auto s = InferSpec(
      t, {.dir = "/tmp/x y", .data = "/tmp/d.csv", .target = "y", .positive = "", .force = false},
      &guesses);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->name, "x-y");
  EXPECT_EQ(s->sources[0].path, "../d.csv");
  EXPECT_EQ(s->target.positive, "b");  // the minority class
  std::string yaml = SpecToYaml(*s);
  std::vector<SpecError> errors;
  ParseSpec(yaml, "mlpipe.yaml", &errors);
  EXPECT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors) << yaml;
  EXPECT_TRUE(ValidateSpecAgainstData(*s, t).ok());
}

TEST(InitTest, UnknownTargetListsColumns) {
  auto r = InitProject(core::Env::Default(), {.dir = TempDir("bad"),
                                              .data = Data("iris.csv"),
                                              .target = "nope",
                                              .positive = "",
                                              .force = false});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("nope"));
  EXPECT_FALSE(std::filesystem::exists(TempDir("bad")));
}

}  // namespace
}  // namespace mlpipe::pipeline
