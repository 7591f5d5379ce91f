// Loops over every entry of the family table: fit each supported task, save,
// load, compare; explanations add up; fits do not depend on the thread count.
#include "mlpipe/models/family_table.h"

#include <cmath>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"

namespace mlpipe::models {
namespace {

using testing::Fixture;
using testing::LoadFixture;
using testing::Near;

struct TaskData {
  Task task;
  const char* dataset;
  int num_classes;
};

const TaskData kTaskData[] = {
    {Task::kBinary, "credit_g", 2},
    {Task::kMulticlass, "iris", 3},
    {Task::kRegression, "cpu", 0},
};

Result<std::unique_ptr<Model>> Fit(const ModelFamily& fam, const TaskData& td, int nthread,
                                   uint64_t seed = 5) {
  const Fixture& f = LoadFixture(td.dataset);
  Dataset train{&f.x, f.labels, {}};
  FitOptions o;
  o.task = td.task;
  o.num_classes = td.num_classes;
  o.seed = seed;
  o.nthread = nthread;
  if (fam.name == "gbdt") o.params = {{"n_estimators", 30.0}, {"subsample", 0.8}};
  return fam.factory()->Fit(train, o);
}

TEST(FamilyTableTest, ListsTheSixFamiliesWithValidSpecs) {
  std::vector<std::string> names;
  for (const ModelFamily& f : ModelFamilies()) {
    names.push_back(f.name);
    EXPECT_FALSE(f.description.empty());
    EXPECT_FALSE(f.tasks.empty());
    EXPECT_EQ(f.factory()->name(), f.name);
    // The defaults pass the family's own validation.
    EXPECT_TRUE(ResolveParams(f.name, f.hyperparameters, {}).ok()) << f.name;
    for (const HyperParamSpec& s : f.hyperparameters) {
      if (s.type == ParamType::kCategorical) continue;
      EXPECT_LE(s.min, s.max) << f.name << "." << s.name;
      EXPECT_TRUE(!s.log_scale || s.min > 0) << f.name << "." << s.name;
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"logreg", "linear", "ridge", "gbdt", "rf", "tree"}));
  EXPECT_TRUE((*FindModelFamily("tree"))->interpretable);
  EXPECT_FALSE((*FindModelFamily("gbdt"))->interpretable);
}

TEST(FamilyTableTest, UnknownFamilyListsTheValidOnes) {
  auto f = FindModelFamily("xgb");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(f.status().message(),
            "unknown model family 'xgb'; valid: logreg, linear, ridge, gbdt, rf, tree");
}

TEST(FamilyTableTest, EveryFamilyRoundTripsExplainsAndIsDeterministic) {
  for (const ModelFamily& fam : ModelFamilies()) {
    for (const TaskData& td : kTaskData) {
      if (!fam.Supports(td.task)) continue;
      SCOPED_TRACE(fam.name + " " + std::string(TaskName(td.task)));
      const Fixture& f = LoadFixture(td.dataset);
      auto m1 = Fit(fam, td, 1);
      ASSERT_TRUE(m1.ok()) << m1.status().ToString();
      auto m2 = Fit(fam, td, 2);
      ASSERT_TRUE(m2.ok()) << m2.status().ToString();
      auto s1 = (*m1)->Save();
      auto s2 = (*m2)->Save();
      ASSERT_TRUE(s1.ok() && s2.ok());
      EXPECT_EQ(*s1, *s2) << "saved model depends on nthread";
      auto parsed = core::ParseJson(*s1, "saved");
      ASSERT_TRUE(parsed.ok());
      EXPECT_EQ((*parsed)["name"], fam.name);
      EXPECT_EQ((*parsed)["format_version"], 1);

      // save -> load -> save gives the same bytes and the same predictions.
      auto loaded = LoadModel(*s1);
      ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
      EXPECT_EQ((*loaded)->name(), fam.name);
      EXPECT_EQ((*loaded)->Save().value(), *s1);
      auto p1 = (*m1)->Predict(f.x);
      auto p2 = (*loaded)->Predict(f.x);
      ASSERT_TRUE(p1.ok() && p2.ok());
      EXPECT_EQ(p1->probabilities, p2->probabilities);
      EXPECT_EQ(p1->values, p2->values);
      EXPECT_EQ(p1->labels, p2->labels);
      if (td.task != Task::kRegression) {
        ASSERT_EQ(p1->probabilities.size(), f.x.rows * static_cast<size_t>(td.num_classes));
        for (size_t r = 0; r < f.x.rows; ++r) {
          double sum = 0;
          for (int k = 0; k < td.num_classes; ++k) sum += p1->probabilities[r * td.num_classes + k];
          ASSERT_NEAR(sum, 1.0, 1e-6);
        }
      }

      // Contributions add up to the margin, row by row.
      auto margin = (*loaded)->PredictMargin(f.x);
      ASSERT_TRUE(margin.ok());
      const size_t k = (*loaded)->num_outputs();
      for (size_t r = 0; r < f.x.rows; r += f.x.rows / 5) {
        auto e = (*loaded)->Explain(f.x, r);
        ASSERT_TRUE(e.ok()) << e.status().ToString();
        ASSERT_EQ(e->feature_names, f.x.names);
        for (size_t o = 0; o < k; ++o) {
          double sum = e->bias[o];
          for (size_t c = 0; c < f.x.cols; ++c) sum += e->contributions[o * f.x.cols + c];
          EXPECT_TRUE(Near(sum, (*margin)[r * k + o], 1e-4, 1e-5)) << "row " << r;
        }
      }
      EXPECT_EQ((*loaded)->Explain(f.x, f.x.rows).status().code(), StatusCode::kOutOfRange);
      // Another seed changes sampled families only; the fit still succeeds.
      EXPECT_TRUE(Fit(fam, td, 1, 99).ok());
    }
  }
}

TEST(FamilyTableTest, BadRequestsAreRejectedWithClearMessages) {
  const Fixture& f = LoadFixture("credit_g");
  Dataset train{&f.x, f.labels, {}};
  FitOptions o;
  o.params = {{"max_depth", 40.0}};
  auto a = FitModel("gbdt", train, o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "gbdt.max_depth: 40 is outside [1, 16]");
  o.params = {{"C", 1.0}};
  auto b = FitModel("rf", train, o);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("rf: unknown hyperparameter 'C'; valid: n_estimators"),
            std::string::npos)
      << b.status().message();
  o.params = {};
  auto c = FitModel("linear", train, o);  // linear is regression-only
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "linear: task 'binary' is not supported");
  auto d = FitModel("nope", train, o);
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);

  std::vector<float> bad_labels = f.labels;
  bad_labels[4] = 2;
  Dataset bad{&f.x, bad_labels, {}};
  auto e = FitModel("tree", bad, o);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("label of row 4"), std::string::npos);
  std::vector<float> w(f.x.rows, 1.0f);
  w[9] = -1;
  Dataset neg{&f.x, f.labels, w};
  auto g = FitModel("gbdt", neg, o);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("weight of row 9"), std::string::npos);
  table::DenseMatrix narrow = testing::Head(f.x, 10);
  narrow.cols -= 1;
  narrow.values.resize(narrow.rows * narrow.cols);
  auto m = FitModel("tree", train, o);
  ASSERT_TRUE(m.ok());
  auto p = (*m)->Predict(narrow);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("expects"), std::string::npos);
}

TEST(FamilyTableTest, LoadModelRejectsBadInput) {
  EXPECT_EQ(LoadModel("{").status().code(), StatusCode::kInvalidArgument);
  auto unknown = LoadModel(R"({"name": "svm", "format_version": 1})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("valid: logreg"), std::string::npos);
  const Fixture& f = LoadFixture("cpu");
  Dataset train{&f.x, f.labels, {}};
  FitOptions o;
  o.task = Task::kRegression;
  auto m = FitModel("ridge", train, o);
  ASSERT_TRUE(m.ok());
  auto j = core::ParseJson((*m)->Save().value(), "t").value();
  j["format_version"] = 2;
  EXPECT_EQ(LoadModel(j.dump()).status().code(), StatusCode::kFailedPrecondition);
  j["format_version"] = 1;
  j["model"]["intercepts"] = {1.0, 2.0};
  EXPECT_EQ(LoadModel(j.dump()).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace mlpipe::models

namespace mlpipe::models {
namespace {

// The L2 logistic solver runs unlocked: fits racing on several threads must
// equal the same fit made alone, for both penalties.
TEST(FamilyTableTest, LogregFitsRacingOnThreadsEqualTheFitAlone) {
  const Fixture& f = LoadFixture("credit_g");
  for (const char* penalty : {"l2", "l1"}) {
    FitOptions o;
    o.task = Task::kBinary;
    o.seed = 11;
    o.params = {{"penalty", std::string(penalty)}, {"C", 0.5}};
    Dataset train{&f.x, f.labels, {}};
    auto alone = FitModel("logreg", train, o);
    ASSERT_TRUE(alone.ok()) << alone.status().ToString();
    const std::string want = *(*alone)->Save();
    std::vector<std::string> got(8);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < got.size(); ++t) {
      threads.emplace_back([&, t] {
        auto m = FitModel("logreg", train, o);
        if (m.ok()) got[t] = *(*m)->Save();
      });
    }
    for (auto& th : threads) th.join();
    for (const auto& g : got) EXPECT_EQ(g, want) << penalty;
  }
}

}  // namespace
}  // namespace mlpipe::models
