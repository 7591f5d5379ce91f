#include "mlpipe/eval/search.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "mlpipe/core/random.h"
#include "mlpipe/features/default_pipeline.h"

namespace mlpipe::eval {
namespace {

// 300 rows: two numeric features and a text one; the class depends on all three.
struct Synthetic {
  table::Table features;
  Target target;
  core::Json spec;
};

Synthetic MakeSynthetic(uint64_t seed) {
  core::Rng rng(seed);
  std::vector<double> x1, x2;
  std::vector<std::string> cat, y;
  for (int i = 0; i < 300; ++i) {
    x1.push_back(rng.Normal());
    x2.push_back(rng.Normal());
    cat.push_back(std::string(1, static_cast<char>('a' + rng.Below(3))));
    double z = x1.back() + 0.5 * x2.back() + (cat.back() == "a" ? 0.8 : 0) + rng.Normal();
    y.push_back(z > 0.3 ? "yes" : "no");
  }
  Synthetic s;
  EXPECT_TRUE(s.features.AddColumn(table::Column::Float64("x1", x1)).ok());
  EXPECT_TRUE(s.features.AddColumn(table::Column::Float64("x2", x2)).ok());
  EXPECT_TRUE(s.features.AddColumn(table::Column::CategoricalFromStrings("cat", cat)).ok());
  auto t = EncodeTarget(table::Column::CategoricalFromStrings("y", y), "yes");
  EXPECT_TRUE(t.ok());
  s.target = *t;
  features::DefaultPipelineOptions o;
  o.scale = true;
  auto p = features::InferDefaultPipeline(s.features, nullptr, o);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  s.spec = p->ToJson();
  return s;
}

SearchProblem MakeProblem(const Synthetic& s) {
  SearchProblem p;
  p.features = &s.features;
  p.target = &s.target;
  p.pipeline_spec = s.spec;
  p.folds = *StratifiedKFold(s.target.codes, 3, 1);
  p.metrics = {"roc_auc", "accuracy"};
  return p;
}

TEST(SearchTest, GridEnumeratesTheProduct) {
  SearchSpace space;
  space.family = "gbdt";
  space.params.push_back({"max_depth", models::ParamType::kInt, 1, 16, false, {}, {1.0, 2.0}});
  space.params.push_back(
      {"learning_rate", models::ParamType::kFloat, 1e-3, 1, true, {}, {0.01, 0.1, 0.3}});
  space.params.push_back({"subsample", models::ParamType::kFloat, 0.1, 1, false, {}, {}});
  auto grid = GridConfigurations(space);
  ASSERT_EQ(grid.size(), 6u);
  std::set<std::pair<double, double>> seen;
  for (const auto& c : grid) {
    EXPECT_FALSE(c.contains("subsample"));
    seen.insert({std::get<double>(c.at("max_depth")), std::get<double>(c.at("learning_rate"))});
  }
  EXPECT_EQ(seen.size(), 6u);
}

TEST(SearchTest, DefaultSpaceReadsTheFamilyTable) {
  auto logreg = DefaultSearchSpace("logreg");
  ASSERT_TRUE(logreg.ok());
  EXPECT_EQ(GridConfigurations(*logreg).size(), 6u);  // C x {l2, l1}
  for (const auto& p : logreg->params) EXPECT_NE(p.name, "tol");
  auto gbdt = DefaultSearchSpace("gbdt");
  ASSERT_TRUE(gbdt.ok());
  EXPECT_EQ(gbdt->params[0].name, "n_estimators");
  EXPECT_EQ(gbdt->params[0].max, 300);
  auto bad = DefaultSearchSpace("svm");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("gbdt"), std::string::npos);
}

TEST(SearchTest, OverridesNarrowRangesAndChoices) {
  auto space = DefaultSearchSpace("logreg");
  ASSERT_TRUE(space.ok());
  ASSERT_TRUE(
      ApplyOverrides(*space, {{"C", true, 0.5, 2, {}}, {"penalty", false, 0, 0, {"l1"}}}).ok());
  core::Rng rng(1);
  for (int i = 0; i < 50; ++i) {
    models::HyperParams p = SampleConfiguration(*space, rng);
    const double c = std::get<double>(p["C"]);
    EXPECT_GE(c, 0.5);
    EXPECT_LE(c, 2);
    EXPECT_EQ(std::get<std::string>(p["penalty"]), "l1");
  }
  for (const auto& config : GridConfigurations(*space)) {
    EXPECT_GE(std::get<double>(config.at("C")), 0.5);
  }
  auto err = [&](const ParamOverride& o) {
    auto s = DefaultSearchSpace("logreg");
    Status st = ApplyOverrides(*s, {o});
    return st.ok() ? std::string() : st.message();
  };
  EXPECT_NE(err({"gamma", true, 0, 1, {}}).find("unknown hyperparameter 'gamma'"),
            std::string::npos);
  EXPECT_NE(err({"C", false, 0, 0, {"a"}}).find("range [min, max]"), std::string::npos);
  EXPECT_NE(err({"C", true, 3, 1, {}}).find("greater than max"), std::string::npos);
  EXPECT_NE(err({"C", true, -1, 1, {}}).find("outside the accepted"), std::string::npos);
  EXPECT_NE(err({"penalty", false, 0, 0, {"l3"}}).find("unknown choice 'l3'"), std::string::npos);
}

TEST(SearchTest, RandomRespectsRangesAndLogScale) {
  auto space = DefaultSearchSpace("gbdt");
  ASSERT_TRUE(space.ok());
  core::Rng rng(5);
  double lr_mid = 0;  // geometric midpoint of the learning-rate search range
  for (const auto& p : space->params) {
    if (p.name == "learning_rate") lr_mid = std::sqrt(p.min * p.max);
  }
  ASSERT_GT(lr_mid, 0);
  int below_geometric_mid = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    auto c = SampleConfiguration(*space, rng);
    for (const auto& p : space->params) {
      double v = std::get<double>(c.at(p.name));
      EXPECT_GE(v, p.min);
      EXPECT_LE(v, p.max);
      if (p.type == models::ParamType::kInt) {
        EXPECT_EQ(v, std::round(v));
      }
    }
    below_geometric_mid += std::get<double>(c.at("learning_rate")) < lr_mid;
  }
  // Log-uniform: half below the geometric midpoint (uniform would give far fewer).
  EXPECT_NEAR(below_geometric_mid / static_cast<double>(n), 0.5, 0.03);
}

TEST(SearchTest, ParseSearchSpec) {
  EXPECT_EQ(ParseSearchSpec("grid")->kind, SearchKind::kGrid);
  EXPECT_EQ(ParseSearchSpec("random:30")->configurations, 30);
  EXPECT_EQ(ParseSearchSpec("halving:9")->kind, SearchKind::kHalving);
  for (const char* bad : {"random", "random:", "random:0", "random:x", "bayes:3", "halving:1"}) {
    EXPECT_FALSE(ParseSearchSpec(bad).ok()) << bad;
  }
}

class CountingObserver : public TrialObserver {
 public:
  void OnTrialDone(const Trial&, const Trial*, size_t done, size_t total) override {
    ++calls;
    last_done = done;
    last_total = total;
  }
  size_t calls = 0, last_done = 0, last_total = 0;
};

TEST(SearchTest, HalvingKeepsTheBest) {
  Synthetic s = MakeSynthetic(1);
  SearchProblem problem = MakeProblem(s);
  auto space = DefaultSearchSpace("logreg");
  ASSERT_TRUE(space.ok());
  SearchOptions options;
  options.spec = *ParseSearchSpec("halving:9");
  options.seed = 3;
  CountingObserver observer;
  options.observer = &observer;
  auto r = RunSearch(problem, *space, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->trials.size(), 9u + 3u + 1u);
  EXPECT_EQ(observer.calls, 13u);
  EXPECT_EQ(observer.last_total, 13u);
  // Rung 1 holds exactly the 3 best of rung 0, rung 2 the best of rung 1.
  auto best_of = [&](size_t begin, size_t end, size_t k) {
    std::vector<size_t> ids;
    for (size_t i = begin; i < end; ++i) ids.push_back(i);
    std::stable_sort(ids.begin(), ids.end(), [&](size_t a, size_t b) {
      return r->trials[a].metrics[0].mean > r->trials[b].metrics[0].mean;
    });
    std::set<std::string> params;
    for (size_t i = 0; i < k; ++i) params.insert(ParamsToJson(r->trials[ids[i]].params).dump());
    return params;
  };
  std::set<std::string> rung1, rung2;
  for (size_t i = 9; i < 12; ++i) rung1.insert(ParamsToJson(r->trials[i].params).dump());
  rung2.insert(ParamsToJson(r->trials[12].params).dump());
  EXPECT_EQ(rung1, best_of(0, 9, 3));
  EXPECT_EQ(rung2, best_of(9, 12, 1));
  EXPECT_DOUBLE_EQ(r->trials[0].row_fraction, 1.0 / 9);
  EXPECT_EQ(r->best, 12u);
  EXPECT_EQ(r->best_trial().rung, 2);
}

TEST(SearchTest, SameResultsWhateverTheThreadCount) {
  Synthetic s = MakeSynthetic(2);
  SearchProblem problem = MakeProblem(s);
  SearchSpaceOptions so;
  so.max_estimators = 20;
  auto space = DefaultSearchSpace("gbdt", so);
  ASSERT_TRUE(space.ok());
  SearchOptions options;
  options.spec = *ParseSearchSpec("random:5");
  options.seed = 9;
  auto serial = RunSearch(problem, *space, options);
  core::ThreadPool pool(4);
  options.pool = &pool;
  auto parallel = RunSearch(problem, *space, options);
  ASSERT_TRUE(serial.ok()) << serial.status().ToString();
  ASSERT_TRUE(parallel.ok()) << parallel.status().ToString();
  ASSERT_EQ(serial->trials.size(), 5u);
  ASSERT_EQ(parallel->trials.size(), 5u);
  EXPECT_EQ(serial->best, parallel->best);
  for (size_t t = 0; t < 5; ++t) {
    const Trial &a = serial->trials[t], &b = parallel->trials[t];
    ASSERT_TRUE(a.ok()) << a.error;
    EXPECT_EQ(ParamsToJson(a.params), ParamsToJson(b.params));
    ASSERT_EQ(a.metrics.size(), 2u);
    for (size_t m = 0; m < 2; ++m) {
      EXPECT_EQ(a.metrics[m].folds, b.metrics[m].folds);
      EXPECT_EQ(a.metrics[m].mean, b.metrics[m].mean);
    }
  }
}

TEST(SearchTest, FitFinalFitsPipelineAndModel) {
  Synthetic s = MakeSynthetic(4);
  auto fitted = FitFinal(s.features, s.target, s.spec, "logreg", {}, 0, 1);
  ASSERT_TRUE(fitted.ok()) << fitted.status().ToString();
  EXPECT_TRUE(fitted->pipeline.fitted());
  auto x = fitted->pipeline.ToMatrix(s.features);
  ASSERT_TRUE(x.ok());
  auto pred = fitted->model->Predict(*x);
  ASSERT_TRUE(pred.ok());
  auto auc = ScorePredictions("roc_auc", s.target, *pred);
  ASSERT_TRUE(auc.ok());
  EXPECT_GT(*auc, 0.75);
  // The saved model and pipeline (what `mlpipe train -o` writes) predict the same.
  auto saved = fitted->model->Save();
  ASSERT_TRUE(saved.ok());
  auto loaded = models::LoadModel(*saved);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto pipeline = features::FeaturePipeline::FromJson(fitted->pipeline.ToJson());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  auto x2 = pipeline->ToMatrix(s.features);
  ASSERT_TRUE(x2.ok());
  auto pred2 = (*loaded)->Predict(*x2);
  ASSERT_TRUE(pred2.ok());
  EXPECT_EQ(pred2->probabilities, pred->probabilities);
}

}  // namespace
}  // namespace mlpipe::eval
