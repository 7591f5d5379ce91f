// gbdt, rf and tree against python3-xgboost 1.7.4 (same parameters, same
// float32 data): predictions to 1e-6 (relative for regression values), and
// margins to 1e-6 where the fixture has them. Also: SHAP contributions sum to
// the margin on every row, and early stopping keeps python's best round.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/models/family_table.h"

namespace mlpipe::models {
namespace {

using testing::Fixture;
using testing::LoadFixture;
using testing::Near;

struct Fitted {
  std::unique_ptr<Model> model;
};

std::unique_ptr<Model> FitCase(const Fixture& f, const core::Json& c, bool for_scoring = false) {
  const size_t end = c.at("train_end").get<size_t>();
  table::DenseMatrix train_x = testing::Head(f.x, end);
  std::vector<float> train_y(f.labels.begin(), f.labels.begin() + static_cast<std::ptrdiff_t>(end));
  std::vector<float> w = testing::Weights(c.at("weights").get<std::string>(), end);
  Dataset train{&train_x, train_y, w};
  table::DenseMatrix valid_x;
  std::vector<float> valid_y;
  Dataset valid;
  FitOptions options;
  options.task = f.task;
  options.num_classes = f.task == Task::kRegression ? 0 : f.num_classes;
  options.params = testing::CaseParams(c);
  options.seed = c.at("seed").get<uint64_t>();
  options.nthread = 2;
  options.for_scoring = for_scoring;
  if (end < f.x.rows) {
    std::vector<size_t> rows;
    for (size_t i = end; i < f.x.rows; ++i) rows.push_back(i);
    valid_x = f.x.TakeRows(rows);
    valid_y.assign(f.labels.begin() + static_cast<std::ptrdiff_t>(end), f.labels.end());
    valid = Dataset{&valid_x, valid_y, {}};
    options.validation = &valid;
  }
  auto m = FitModel(c.at("family").get<std::string>(), train, options);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(*m) : nullptr;
}

class XgbFamiliesTest : public ::testing::TestWithParam<std::string> {};

// Both forms of a fitted model: compiled (TreeEnsemblePredictor) and, as
// cross-validation fits it, for scoring only (XGBoost's own prediction).
TEST_P(XgbFamiliesTest, MatchesPythonXgboostOnEveryRow) {
  const Fixture& f = LoadFixture(GetParam());
  int checked = 0;
  test_support::ForEachCase(f.expected, "cases", 3, [&](const core::Json& c) {
    for (bool scoring : {false, true}) {
      const std::string family = c.at("family");
      if (family != "gbdt" && family != "rf" && family != "tree") continue;
      SCOPED_TRACE(family + " " + c.at("params").dump() + (scoring ? " for scoring" : ""));
      std::unique_ptr<Model> m = FitCase(f, c, scoring);
      ASSERT_NE(m, nullptr);
      auto pred = m->Predict(f.x);
      ASSERT_TRUE(pred.ok()) << pred.status().ToString();
      const std::vector<double> want = c.at("prediction").get<std::vector<double>>();
      if (f.task == Task::kRegression) {
        ASSERT_EQ(pred->values.size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) {
          ASSERT_TRUE(Near(pred->values[i], want[i], 1e-6, 1e-6)) << "row " << i;
        }
      } else if (f.task == Task::kBinary) {
        ASSERT_EQ(pred->rows, want.size());
        for (size_t i = 0; i < want.size(); ++i) {
          ASSERT_TRUE(Near(pred->probabilities[2 * i + 1], want[i], 1e-6, 0)) << "row " << i;
          ASSERT_EQ(pred->labels[i], pred->probabilities[2 * i + 1] > 0.5 ? 1 : 0);
        }
      } else {
        ASSERT_EQ(pred->probabilities.size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) {
          ASSERT_TRUE(Near(pred->probabilities[i], want[i], 1e-6, 0)) << "value " << i;
        }
      }
      if (c.contains("margin")) {
        auto margin = m->PredictMargin(f.x);
        ASSERT_TRUE(margin.ok());
        const std::vector<double> want_m = c.at("margin").get<std::vector<double>>();
        ASSERT_EQ(margin->size(), want_m.size());
        for (size_t i = 0; i < want_m.size(); ++i) {
          ASSERT_TRUE(Near((*margin)[i], want_m[i], 1e-6, 1e-6)) << "value " << i;
        }
      }
      if (scoring) {
        EXPECT_EQ(m->Save().status().code(), StatusCode::kFailedPrecondition);
      } else if (c.contains("best_iteration")) {
        // The saved model holds exactly the trees of rounds 0..best_iteration.
        auto saved = m->Save();
        ASSERT_TRUE(saved.ok());
        auto j = core::ParseJson(*saved, "saved");
        ASSERT_TRUE(j.ok());
        const size_t trees = (*j)["model"]["learner"]["gradient_booster"]["model"]["trees"].size();
        EXPECT_EQ(trees, c.at("best_iteration").get<size_t>() + 1);
      }
      ++checked;
    }
  });
  EXPECT_GE(checked, 6);
}

TEST_P(XgbFamiliesTest, ShapContributionsSumToTheMargin) {
  const Fixture& f = LoadFixture(GetParam());
  int checked = 0;
  test_support::ForEachCase(f.expected, "cases", 3, [&](const core::Json& c) {
    if (c.at("family") != "gbdt" || c.at("weights") != "none" ||
        c.at("train_end").get<size_t>() != f.x.rows) {
      return;
    }
    std::unique_ptr<Model> m = FitCase(f, c);
    ASSERT_NE(m, nullptr);
    auto margin = m->PredictMargin(f.x);
    ASSERT_TRUE(margin.ok());
    const size_t k = m->num_outputs();
    // About 40 rows per set, spread over it (XGBoost's SHAP takes ~10-80 ms a row).
    const size_t step = std::max<size_t>(1, f.x.rows / 40);
    for (size_t r = 0; r < f.x.rows; r += step) {
      auto e = m->Explain(f.x, r);
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      ASSERT_EQ(e->num_outputs, k);
      ASSERT_EQ(e->contributions.size(), k * f.x.cols);
      for (size_t o = 0; o < k; ++o) {
        double sum = e->bias[o];
        for (size_t j = 0; j < f.x.cols; ++j) sum += e->contributions[o * f.x.cols + j];
        // SHAP values are float sums in another order than the margin.
        ASSERT_TRUE(Near(sum, (*margin)[r * k + o], 1e-4, 1e-5)) << "row " << r << " output " << o;
      }
    }
    ++checked;
  });
  EXPECT_EQ(checked, 1);  // the one unweighted gbdt case fitted on every row
}

INSTANTIATE_TEST_SUITE_P(Datasets, XgbFamiliesTest,
                         ::testing::Values("credit_g", "credit_data", "iris", "cpu", "diamonds"));

TEST(XgbFamiliesTest, EarlyStoppingCaseIsPresent) {
  const Fixture& f = LoadFixture("credit_g");
  bool found = false;
  for (const core::Json& c : f.expected.at("cases")) found = found || c.contains("best_iteration");
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace mlpipe::models
