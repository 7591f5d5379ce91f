// Tests of the runner in-process (so that the sanitizers see it): a small
// search on credit-g through every step, the cached re-run, the step range
// checks, the governance stop and reproduce. The figures themselves are
// checked against scikit-learn and pandas by tests/e2e/test_run.py.
#include "mlpipe/pipeline/run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "mlpipe/pipeline/reproduce.h"

namespace mlpipe::pipeline {
namespace {

using ::testing::HasSubstr;

// A project folder holding a copy of credit-g.csv and a spec over it.
class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("mlpipe_run_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::copy_file(std::string(MLPIPE_SOURCE_DIR) + "/examples/data/credit-g.csv",
                               dir_ + "/credit-g.csv");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Spec(const std::string& extra = "") const {
    return "name: credit\n"
           "data:\n"
           "  sources: [{name: credit-g, path: credit-g.csv}]\n"
           "  derived:\n"
           "    - name: sex\n"
           "      from: personal_status\n"
           "      map: {male single: male, male div/sep: male, male mar/wid: male,\n"
           "            female div/dep/mar: female}\n"
           "target: {column: class, positive: bad}\n"
           "columns:\n"
           "  protected: [sex, foreign_worker]\n"
           "kpis:\n"
           "  constraints: [roc_auc >= 0.6]\n"
           "  fairness: [demographic_parity_difference <= 0.5]\n"
           "models: [logreg, {family: gbdt, search: {n_estimators: [5, 10]}}]\n"
           "search: {trials: 2, cv: 2}\n"
           "seed: 5\n" +
           extra;
  }

  Result<RunOutcome> Run(const std::string& spec_text, RunOptions options = {}) {
    std::vector<SpecError> errors;
    ProjectSpec spec = ParseSpec(spec_text, dir_ + "/mlpipe.yaml", &errors);
    EXPECT_TRUE(errors.empty()) << FormatSpecErrors("mlpipe.yaml", errors);
    MLPIPE_ASSIGN_OR_RETURN(store::ProjectLocation loc, store::LocateProject(dir_, dir_, ""));
    MLPIPE_ASSIGN_OR_RETURN(stores_, store::OpenProjectStores(core::Env::Default(), loc));
    options.spec_text = spec_text;
    options.actor = "tester";
    options.integration = [](const store::ModelVersion& v) -> Result<std::string> {
      return "checked " + v.bundle_hash;
    };
    return RunPipeline(core::Env::Default(), stores_, spec, options);
  }

  std::string dir_;
  store::ProjectStores stores_;
};

std::vector<StepState> States(const RunOutcome& out) {
  std::vector<StepState> s;
  for (const auto& r : out.steps) s.push_back(r.state);
  return s;
}

TEST_F(RunTest, EveryStepRunsThenEveryStepIsCached) {
  auto first = Run(Spec());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->stopped.ok()) << first->stopped.ToString();
  EXPECT_EQ(States(*first), std::vector<StepState>(11, StepState::kRan));
  EXPECT_EQ(first->summary["register"]["model_ref"], "credit@1");
  EXPECT_EQ(first->summary["train"]["leaderboard"].size(), 2u);
  EXPECT_TRUE(first->gates_passed);  // all but the approvals (none required)
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/reports/model_card.html"));
  // The run's metrics carry the time they were logged.
  auto run = stores_.meta->GetRun(first->run_id);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run->metrics.contains("test.roc_auc"));
  EXPECT_GE(run->metrics.at("test.roc_auc").timestamp_us, run->info.start_us);

  auto second = Run(Spec());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(States(*second), std::vector<StepState>(11, StepState::kCached));
  for (size_t i = 0; i < 11; ++i) {
    EXPECT_EQ(first->steps[i].key, second->steps[i].key) << first->steps[i].name;
    EXPECT_EQ(first->steps[i].outputs, second->steps[i].outputs) << first->steps[i].name;
  }

  // A changed gate margin re-runs compare and what follows, nothing before.
  auto third = Run(Spec() + "governance: {gates: {champion_margin: 0.5}}\n");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  auto states = States(*third);
  EXPECT_EQ(states[6], StepState::kCached);  // train
  EXPECT_EQ(states[8], StepState::kRan);     // compare (its margin changed)

  auto again = Reproduce(core::Env::Default(), stores_, first->run_id, RunOptions{});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->bundle_identical);
  for (const auto& f : again->files) EXPECT_TRUE(f.same()) << f.step << "/" << f.file;
}

TEST_F(RunTest, StepRangeIsChecked) {
  RunOptions o;
  o.from = "nope";
  auto bad = Run(Spec(), o);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("unknown step 'nope'"));
  o.from = "train";
  auto uncached = Run(Spec(), o);
  ASSERT_FALSE(uncached.ok());
  EXPECT_THAT(uncached.status().message(), HasSubstr("no cached result"));
  o.from = "";
  o.until = "split";
  auto part = Run(Spec(), o);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(part->steps[5].state, StepState::kNotRun);
  o.from = "features";
  o.until = "features";
  auto one = Run(Spec(), o);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->steps[4].state, StepState::kCached);
  EXPECT_EQ(one->steps[5].state, StepState::kRan);
}

// The build identity is part of every key: a result of another build is run
// again, one of the same build is reused.
TEST_F(RunTest, AResultOfAnotherBuildIsNotReused) {
  RunOptions a;
  a.until = "features";
  a.build_id = "build-a";
  auto first = Run(Spec(), a);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = Run(Spec(), a);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  RunOptions b = a;
  b.build_id = "build-b";
  auto other = Run(Spec(), b);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  for (size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(first->steps[i].name);
    EXPECT_EQ(first->steps[i].state, StepState::kRan);
    EXPECT_EQ(again->steps[i].state, StepState::kCached);
    EXPECT_EQ(other->steps[i].state, StepState::kRan);
    EXPECT_NE(first->steps[i].key, other->steps[i].key);
    EXPECT_EQ(first->steps[i].outputs, other->steps[i].outputs);  // the same code, in fact
  }
  // Nor does --from take another build's results.
  RunOptions c = a;
  c.build_id = "build-c";
  c.from = "split";
  auto from = Run(Spec(), c);
  ASSERT_FALSE(from.ok());
  EXPECT_THAT(from.status().message(), HasSubstr("step 'ingest' has no cached result"));
}

// A cached manifest whose summary is of another shape: the step runs again,
// and --from, which must use it, stops naming the step and the key.
TEST_F(RunTest, ACachedSummaryOfAnotherShapeIsNotTrusted) {
  RunOptions o;
  o.until = "split";
  o.build_id = "build-a";
  auto first = Run(Spec(), o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const StepReport split = first->steps[4];
  ASSERT_EQ(split.name, "split");
  auto text = stores_.objects->Get(split.manifest);
  ASSERT_TRUE(text.ok());
  auto manifest = core::ParseJson(*text, "manifest");
  ASSERT_TRUE(manifest.ok());
  (*manifest)["summary"]["test_rows"] = "many";

  // The same project from scratch, its store holding the altered manifest
  // under the split step's key (which does not depend on the store).
  stores_ = store::ProjectStores();
  std::filesystem::remove_all(dir_ + "/.mlpipe");
  {
    auto loc = store::LocateProject(dir_, dir_, "");
    ASSERT_TRUE(loc.ok());
    auto stores = store::OpenProjectStores(core::Env::Default(), *loc);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    auto put = stores->objects->PutBytes(manifest->dump());
    ASSERT_TRUE(put.ok());
    ASSERT_TRUE(stores->meta->PutArtifact("step-cache", split.key, put->hash).ok());
  }
  auto rerun = Run(Spec(), o);
  ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
  EXPECT_EQ(rerun->steps[4].key, split.key);
  EXPECT_EQ(rerun->steps[4].state, StepState::kRan);
  EXPECT_EQ(rerun->steps[4].outputs, split.outputs);
  EXPECT_EQ(rerun->summary["split"]["test_rows"], first->summary["split"]["test_rows"]);

  o.from = "features";
  o.until = "features";
  auto from = Run(Spec(), o);
  ASSERT_FALSE(from.ok());
  EXPECT_EQ(from.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(from.status().message(), HasSubstr("step 'split'"));
  EXPECT_THAT(from.status().message(),
              HasSubstr("summary: test_rows: expected an integer, found string"));
}

TEST_F(RunTest, ProtectedFeatureStopsBeforeTrainingUnlessOverridden) {
  // A derived column from a protected one.
  std::string text = Spec();
  text.replace(text.find("  derived:\n"), 11,
               "  derived:\n    - {name: foreigner, from: foreign_worker, map: {\"yes\": y}}\n");
  auto out = Run(text);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->stopped.message(), HasSubstr("protected column 'foreign_worker'"));
  EXPECT_EQ(out->steps[6].state, StepState::kNotRun);

  RunOptions o;
  o.overrides = {{"foreign_worker", "reviewed"}};
  auto allowed = Run(text, o);
  ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_TRUE(allowed->stopped.ok()) << allowed->stopped.ToString();
  EXPECT_EQ(allowed->steps[6].state, StepState::kRan);
}

TEST(GovernanceRemovalsTest, NamesEveryRemovedColumnWithItsReason) {
  ProjectSpec spec;
  spec.columns.protected_columns = {ColumnRef{"sex", {}}, ColumnRef{"age", {}}};
  PiiColumn email, zip;
  email.column = ColumnRef{"email", {}};
  email.handling = PiiHandling::kDrop;
  zip.column = ColumnRef{"zip", {}};
  zip.handling = PiiHandling::kGeneralise;  // coarsened, still a feature
  spec.columns.pii = {email, zip};
  EXPECT_EQ(GovernanceRemovals(spec, {}),
            "governance: removed columns sex (protected), age (protected), email (pii) before "
            "training");
  EXPECT_EQ(GovernanceRemovals(spec, {{"age", "reviewed"}}),
            "governance: removed columns sex (protected), email (pii) before training");
  ProjectSpec none;
  EXPECT_EQ(GovernanceRemovals(none, {}), "");
}

}  // namespace
}  // namespace mlpipe::pipeline
