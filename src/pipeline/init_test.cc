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
                             .force = false,
                             .task = ""});
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
                                 .force = false,
                                 .task = ""});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("--force"));
  auto forced = InitProject(env, {.dir = dir,
                                  .data = Data("credit-g.csv"),
                                  .target = "class",
                                  .positive = "good",
                                  .force = true,
                                  .task = ""});
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
                             .force = false,
                             .task = ""});
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
  auto s = InferSpec(*data,
                     {.dir = "cpu",
                      .data = "cpu.csv",
                      .target = target,
                      .positive = "",
                      .force = false,
                      .task = ""},
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
  EXPECT_EQ(role["postcode"], "feature");  // a location, kept
  EXPECT_EQ(role.count("own_telephone"), 0u);
  EXPECT_EQ(role["row_id"], "id");
  EXPECT_EQ(role["version"], "ignore");
  EXPECT_EQ(role["ApplicantAge"], "protected");
  EXPECT_EQ(role.count("y"), 0u);

  std::vector<RoleGuess> guesses;
  auto s = InferSpec(t,
                     {.dir = "/tmp/x y",
                      .data = "/tmp/d.csv",
                      .target = "y",
                      .positive = "",
                      .force = false,
                      .task = ""},
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

// Excerpts that mimic public data sets whose best features were once
// guessed protected or personal and so dropped: concrete strength (`age` =
// days of curing, 1-365), congressional votes (y/n/? answers to a question
// naming a religion) and a table with 5-digit zip codes.
TEST(InitTest, RolesAreGuessedFromNamesAndValues) {
  table::Table t;
  const std::vector<int64_t> days = {1, 3, 7, 14, 28, 56, 90, 91, 100, 120, 180, 270, 360, 365};
  const std::vector<std::string> answers = {"y", "n", "?"};
  std::vector<int64_t> age_days, zip_codes, sex01;
  std::vector<double> strength, human_age;
  std::vector<std::string> vote, zips_text, religion, is_religious;
  for (int i = 0; i < 60; ++i) {
    age_days.push_back(days[i % days.size()]);
    strength.push_back(10.0 + i * 0.7);
    vote.push_back(answers[(i * 7) % 3]);
    zip_codes.push_back(10001 + (i * 37) % 900);
    zips_text.push_back(i % 2 ? "02139" : "94110");
    human_age.push_back(18 + (i * 13) % 60 + (i % 4 == 0 ? 0.5 : 0.0));
    sex01.push_back(i % 2);
    religion.push_back(i % 3 == 0 ? "catholic" : (i % 3 == 1 ? "none" : "muslim"));
    is_religious.push_back(i % 3 ? "y" : "n");
  }
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("age", age_days)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("religious-groups-in-schools", vote)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("zip", zip_codes)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("postal_code", zips_text)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("ApplicantAge", human_age)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("sex", sex01)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("religion", religion)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::String("is_religious", is_religious)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("strength", strength)).ok());
  auto g = GuessRoles(t, "strength");
  ASSERT_TRUE(g.ok()) << g.status().message();
  std::map<std::string, std::string> role;
  for (const auto& x : *g) role[x.column] = x.role;
  // Not human ages (up to 365), an answer to a question, locations.
  EXPECT_EQ(role.count("age"), 0u);
  EXPECT_EQ(role.count("religious-groups-in-schools"), 0u);
  EXPECT_EQ(role["zip"], "feature");
  EXPECT_EQ(role["postal_code"], "feature");
  // Still protected: whole and half years, a 0/1 `sex`, a religion, a
  // short yes/no name.
  EXPECT_EQ(role["ApplicantAge"], "protected");
  EXPECT_EQ(role["sex"], "protected");
  EXPECT_EQ(role["religion"], "protected");
  EXPECT_EQ(role["is_religious"], "protected");

  std::vector<RoleGuess> guesses;
  auto s = InferSpec(t,
                     {.dir = "/tmp/concrete",
                      .data = "/tmp/d.csv",
                      .target = "strength",
                      .positive = "",
                      .force = false,
                      .task = ""},
                     &guesses);
  ASSERT_TRUE(s.ok()) << s.status().message();
  std::vector<std::string> protected_names;
  for (const auto& c : s->columns.protected_columns) protected_names.push_back(c.name);
  EXPECT_THAT(protected_names,
              ::testing::ElementsAre("ApplicantAge", "sex", "religion", "is_religious"));
  EXPECT_TRUE(s->columns.pii.empty());
}

// A churn-like table with columns named after one group of a protected
// attribute, in the encodings such tables use.
TEST(InitTest, GroupIndicatorsAreProtectedAndNameTheirAttribute) {
  table::Table t;
  std::vector<int64_t> female, senior, female_count, tenure;
  std::vector<std::string> is_male, race_white, foreigner, y;
  std::vector<uint8_t> black;
  std::vector<double> young;
  for (int i = 0; i < 200; ++i) {
    female.push_back(i % 2);
    senior.push_back(i % 7 == 0);
    female_count.push_back(i % 41);  // 0..40: counts people, indicates no group
    tenure.push_back(i % 72);
    is_male.push_back(i % 2 ? "No" : "Yes");
    race_white.push_back(i % 3 ? "y" : "n");
    foreigner.push_back(i % 5 ? "FALSE" : "TRUE");
    black.push_back(i % 6 == 0);
    young.push_back(i % 9 == 0 ? 1.0 : 0.0);
    y.push_back(i % 3 ? "stay" : "churn");
  }
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("female", female)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("SeniorCitizen", senior)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("female_count", female_count)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("tenure", tenure)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("is_male", is_male)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("race_white", race_white)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("foreigner", foreigner)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Bool("black", black)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("young_driver", young)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("churn", y)).ok());
  auto g = GuessRoles(t, "churn");
  ASSERT_TRUE(g.ok()) << g.status().message();
  std::map<std::string, RoleGuess> by;
  for (const auto& x : *g) by[x.column] = x;
  const std::map<std::string, std::string> expected = {
      {"female", "sex"},      {"SeniorCitizen", "age"},     {"is_male", "sex"},
      {"race_white", "race"}, {"foreigner", "nationality"}, {"black", "race"},
      {"young_driver", "age"}};
  for (const auto& [column, attribute] : expected) {
    ASSERT_EQ(by.count(column), 1u) << column;
    EXPECT_EQ(by[column].role, "protected") << column;
    EXPECT_EQ(by[column].attribute, attribute) << column;
    EXPECT_THAT(by[column].reason, HasSubstr("one group of a protected attribute: " + attribute))
        << column;
  }
  EXPECT_EQ(by["female"].reason,
            "check: indicates one group of a protected attribute: sex (female)");
  EXPECT_EQ(by["SeniorCitizen"].reason,
            "check: indicates one group of a protected attribute: age (senior)");
  EXPECT_EQ(by.count("female_count"), 0u);
  EXPECT_EQ(by.count("tenure"), 0u);
  EXPECT_EQ(g->size(), expected.size());

  // The written spec lists them, each with its attribute beside it.
  std::vector<RoleGuess> guesses;
  auto s = InferSpec(t,
                     {.dir = "churn",
                      .data = "churn.csv",
                      .target = "churn",
                      .positive = "",
                      .force = false,
                      .task = ""},
                     &guesses);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_THAT(Names(s->columns.protected_columns),
              ::testing::ElementsAre("female", "SeniorCitizen", "is_male", "race_white",
                                     "foreigner", "black", "young_driver"));
  SpecComments comments;
  for (const auto& x : guesses) comments[x.column] = x.reason;
  std::string yaml = SpecToYaml(*s, &comments, "");
  EXPECT_THAT(yaml,
              HasSubstr("- female  # check: indicates one group of a protected attribute: sex "
                        "(female)\n"));
  EXPECT_THAT(yaml, HasSubstr("- SeniorCitizen  # check: indicates one group of a protected "
                              "attribute: age (senior)\n"));
  EXPECT_TRUE(ValidateSpecAgainstData(*s, t).ok());
}

TEST(InitTest, NamedProtectedAttributesSayWhichAttribute) {
  table::Table t;
  std::vector<int64_t> ages;
  std::vector<std::string> sex, y;
  for (int i = 0; i < 50; ++i) {
    ages.push_back(20 + i);
    sex.push_back(i % 2 ? "f" : "m");
    y.push_back(i % 2 ? "a" : "b");
  }
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("ApplicantAge", ages)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("Gender", sex)).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("y", y)).ok());
  auto g = GuessRoles(t, "y");
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 2u);
  EXPECT_EQ((*g)[0].reason, "check: looks like a protected attribute (age)");
  EXPECT_EQ((*g)[0].attribute, "age");
  EXPECT_EQ((*g)[1].reason, "check: looks like a protected attribute (gender)");
}

TEST(InitTest, UnknownTargetListsColumns) {
  auto r = InitProject(core::Env::Default(), {.dir = TempDir("bad"),
                                              .data = Data("iris.csv"),
                                              .target = "nope",
                                              .positive = "",
                                              .force = false,
                                              .task = ""});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("nope"));
  EXPECT_FALSE(std::filesystem::exists(TempDir("bad")));
}

}  // namespace
}  // namespace mlpipe::pipeline
