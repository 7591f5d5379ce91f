// logreg against scikit-learn 1.2 LogisticRegression(solver='liblinear'):
// coefficients and probabilities to 1e-4. linear and ridge against
// LinearRegression and Ridge: coefficients, intercept and predictions to 1e-6
// (relative, with a 1e-6 floor).
#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/models/family_table.h"

namespace mlpipe::models {
namespace {

using testing::Fixture;
using testing::LoadFixture;
using testing::Near;

struct Saved {
  std::vector<double> coef;
  std::vector<double> intercepts;
};

Saved ReadCoefficients(const Model& m) {
  auto s = m.Save();
  EXPECT_TRUE(s.ok());
  auto j = core::ParseJson(*s, "saved");
  EXPECT_TRUE(j.ok());
  Saved out;
  for (const auto& row : (*j)["model"]["coefficients"]) {
    for (double v : row) out.coef.push_back(v);
  }
  out.intercepts = (*j)["model"]["intercepts"].get<std::vector<double>>();
  return out;
}

void CheckLinearCases(const std::string& dataset, double coef_tol, double pred_tol, bool rel) {
  const Fixture& f = LoadFixture(dataset);
  int checked = 0;
  test_support::ForEachCase(f.expected, "cases", 3, [&](const core::Json& c) {
    const std::string family = c.at("family");
    if (family != "logreg" && family != "linear" && family != "ridge") return;
    SCOPED_TRACE(dataset + " " + family + " " + c.at("params").dump() + " weights " +
                 c.at("weights").dump());
    std::vector<float> w = testing::Weights(c.at("weights"), f.x.rows);
    Dataset train{&f.x, f.labels, w};
    FitOptions options;
    options.task = f.task;
    options.num_classes = f.task == Task::kRegression ? 0 : f.num_classes;
    options.params = testing::CaseParams(c);
    options.seed = 7;
    auto m = FitModel(family, train, options);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Saved s = ReadCoefficients(**m);
    const auto want_coef = c.at("coef").get<std::vector<double>>();
    const auto want_b = c.at("intercept").get<std::vector<double>>();
    ASSERT_EQ(s.coef.size(), want_coef.size());
    ASSERT_EQ(s.intercepts.size(), want_b.size());
    for (size_t i = 0; i < want_coef.size(); ++i) {
      EXPECT_TRUE(Near(s.coef[i], want_coef[i], coef_tol, rel ? coef_tol : 0)) << "coef " << i;
    }
    for (size_t i = 0; i < want_b.size(); ++i) {
      EXPECT_TRUE(Near(s.intercepts[i], want_b[i], coef_tol, rel ? coef_tol : 0));
    }
    auto p = (*m)->Predict(f.x);
    ASSERT_TRUE(p.ok());
    const auto want = c.at("prediction").get<std::vector<double>>();
    const std::vector<double>& got = f.task == Task::kRegression ? p->values : p->probabilities;
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_TRUE(Near(got[i], want[i], pred_tol, rel ? pred_tol : 0)) << "value " << i;
    }
    ++checked;
  });
  EXPECT_GT(checked, 0);
}

TEST(LinearTest, LogregMatchesSklearnLiblinearBinary) {
  CheckLinearCases("credit_g", 1e-4, 1e-4, false);
}
TEST(LinearTest, LogregMatchesSklearnLiblinearOvr) { CheckLinearCases("iris", 1e-4, 1e-4, false); }
TEST(LinearTest, LinearAndRidgeMatchSklearnCpu) { CheckLinearCases("cpu", 1e-6, 1e-6, true); }
TEST(LinearTest, LinearAndRidgeMatchSklearnDiamonds) {
  CheckLinearCases("diamonds", 1e-6, 1e-6, true);
}

TEST(LinearTest, NanInputIsAnErrorNamingTheFeature) {
  const Fixture& f = LoadFixture("credit_data");  // has missing values
  FitOptions options;
  Dataset train{&f.x, f.labels, {}};
  auto m = FitModel("logreg", train, options);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("feature '"), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("row "), std::string::npos);

  // A model fitted on complete rows refuses NaN at prediction, naming it.
  const Fixture& g = LoadFixture("cpu");
  Dataset reg{&g.x, g.labels, {}};
  FitOptions ro;
  ro.task = Task::kRegression;
  auto lin = FitModel("ridge", reg, ro);
  ASSERT_TRUE(lin.ok()) << lin.status().ToString();
  table::DenseMatrix x = testing::Head(g.x, 3);
  x.at(2, 1) = std::numeric_limits<float>::quiet_NaN();
  auto p = (*lin)->Predict(x);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("'" + g.x.names[1] + "'"), std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message().find("row 2"), std::string::npos);
  EXPECT_FALSE((*lin)->Explain(x, 2).ok());
  EXPECT_TRUE((*lin)->Explain(x, 1).ok());
}

TEST(LinearTest, LogregRefusesRowWeights) {
  const Fixture& f = LoadFixture("credit_g");
  std::vector<float> w(f.x.rows, 2.0f);
  Dataset train{&f.x, f.labels, w};
  auto m = FitModel("logreg", train, FitOptions{});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("class_weight"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::models
