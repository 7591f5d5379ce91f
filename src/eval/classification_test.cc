#include "mlpipe/eval/classification.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"

namespace mlpipe::eval {
namespace {

using testing::LoadClassification;

struct Named {
  const char* name;
  Result<double> (*fn)(const MetricInput&);
};
constexpr Named kLabelMetrics[] = {{"accuracy", Accuracy},
                                   {"balanced_accuracy", BalancedAccuracy},
                                   {"precision", Precision},
                                   {"recall", Recall},
                                   {"f1", F1},
                                   {"log_loss", LogLoss}};

// sklearn 1.2 on credit-g (binary) and iris (multiclass) predictions, with
// and without sample weights.
TEST(ClassificationTest, MatchesSklearnOnRealPredictions) {
  int checked = 0;
  for (const char* file : {"binary", "multiclass"}) {
    const auto cases = LoadClassification(file);
    ASSERT_FALSE(cases.empty()) << file;
    for (const auto& c : cases) {
      for (bool weighted : {false, true}) {
        const auto& expected = c.json[weighted ? "weighted_metrics" : "metrics"];
        for (const auto& m : kLabelMetrics) {
          SCOPED_TRACE(std::string(file) + "/" + c.model + "/" + m.name +
                       (weighted ? " weighted" : ""));
          auto v = m.fn(c.Input(weighted));
          ASSERT_TRUE(v.ok()) << v.status().ToString();
          EXPECT_REL(*v, expected[m.name].get<double>(), 1e-9);
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 2 * 2 * 6);
}

TEST(ClassificationTest, BrierMatchesSklearn) {
  for (const auto& c : LoadClassification("binary")) {
    for (bool weighted : {false, true}) {
      auto v = BrierScore(c.Input(weighted));
      ASSERT_TRUE(v.ok()) << v.status().ToString();
      EXPECT_REL(*v, c.json[weighted ? "weighted_metrics" : "metrics"]["brier"].get<double>(),
                 1e-9);
    }
  }
}

TEST(ClassificationTest, ConfusionMatrixMatchesSklearn) {
  for (const char* file : {"binary", "multiclass"}) {
    for (const auto& c : LoadClassification(file)) {
      auto cm = ComputeConfusionMatrix(c.Input());
      ASSERT_TRUE(cm.ok()) << cm.status().ToString();
      const auto& expected = c.json["confusion_matrix"];
      ASSERT_EQ(static_cast<size_t>(cm->num_classes), expected.size());
      for (int t = 0; t < cm->num_classes; ++t) {
        for (int p = 0; p < cm->num_classes; ++p) {
          EXPECT_EQ(cm->at(t, p), expected[t][p].get<double>()) << file << " " << t << "," << p;
        }
      }
      if (c.json.contains("confusion_matrix_weighted")) {
        auto cw = ComputeConfusionMatrix(c.Input(true));
        ASSERT_TRUE(cw.ok());
        const auto& ew = c.json["confusion_matrix_weighted"];
        for (int t = 0; t < 2; ++t) {
          for (int p = 0; p < 2; ++p) EXPECT_REL(cw->at(t, p), ew[t][p].get<double>(), 1e-12);
        }
      }
    }
  }
}

TEST(ClassificationTest, SmallHandWorkedCases) {
  // labels   0 0 1 1 1 ; predicted 0 1 1 1 0: TP 2, FP 1, FN 1, TN 1.
  const std::vector<int32_t> y = {0, 0, 1, 1, 1}, p = {0, 1, 1, 1, 0};
  MetricInput in;
  in.labels = y;
  in.predicted = p;
  EXPECT_DOUBLE_EQ(*Accuracy(in), 3.0 / 5);
  EXPECT_DOUBLE_EQ(*Precision(in), 2.0 / 3);
  EXPECT_DOUBLE_EQ(*Recall(in), 2.0 / 3);
  EXPECT_DOUBLE_EQ(*F1(in), 2.0 / 3);
  EXPECT_DOUBLE_EQ(*BalancedAccuracy(in), (0.5 + 2.0 / 3) / 2);
  // No positive predictions: precision 0 by zero_division=0, F1 0.
  const std::vector<int32_t> none = {0, 0, 0, 0, 0};
  in.predicted = none;
  EXPECT_EQ(*Precision(in), 0.0);
  EXPECT_EQ(*F1(in), 0.0);
}

TEST(ClassificationTest, LogLossClipsCertainMistakes) {
  const std::vector<int32_t> y = {1, 0};
  const std::vector<double> p = {0.0, 0.0};  // a certain mistake on row 0
  MetricInput in;
  in.labels = y;
  in.probabilities = p;
  auto v = LogLoss(in);
  ASSERT_TRUE(v.ok());
  // -log(eps) / 2 for row 0, -log(1 - eps) ~ eps for row 1 (sklearn: 18.021826694558577).
  EXPECT_REL(*v, 18.021826694558577, 1e-12);
}

TEST(ClassificationTest, ErrorsNameTheArgument) {
  const std::vector<int32_t> y = {0, 1, 1}, short_pred = {0, 1}, bad_code = {0, 2, 1};
  const std::vector<double> probs_out = {0.1, 1.5, 0.3}, weights_neg = {1, -1, 1};
  const std::vector<int32_t> empty;
  auto message = [](const Result<double>& r) { return r.status().message(); };
  MetricInput in;
  in.labels = empty;
  in.predicted = empty;
  EXPECT_EQ(Accuracy(in).status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(message(Accuracy(in)).find("labels: empty input"), std::string::npos);
  in.labels = y;
  in.predicted = short_pred;
  EXPECT_NE(message(Accuracy(in)).find("predicted: length 2 differs"), std::string::npos);
  in.predicted = bad_code;
  EXPECT_NE(message(F1(in)).find("predicted[1]: class code 2 outside [0, 2)"), std::string::npos);
  in.predicted = y;
  in.weights = weights_neg;
  EXPECT_NE(message(Accuracy(in)).find("weights[1]"), std::string::npos);
  in.weights = {};
  in.probabilities = probs_out;
  EXPECT_NE(message(LogLoss(in)).find("probabilities[1]: 1.500000 outside [0, 1]"),
            std::string::npos);
  EXPECT_NE(message(BrierScore(in)).find("outside [0, 1]"), std::string::npos);
  in.num_classes = 3;
  const std::vector<double> flat = {0.2, 0.3, 0.5};
  in.probabilities = flat;
  EXPECT_NE(message(LogLoss(in)).find("probabilities: expected 9 values"), std::string::npos);
  EXPECT_NE(message(BrierScore(in)).find("num_classes: needs binary"), std::string::npos);
  in.num_classes = 1;
  EXPECT_NE(message(Accuracy(in)).find("num_classes: must be >= 2"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
