// Predictor: the bundle's predictions equal the training-time predictions
// exactly (binary, multiclass, regression), golden rows verify and a changed
// expectation is caught, and bad input is refused naming column and row.
#include "mlpipe/bundle/predictor.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_fixture.h"

namespace mlpipe::bundle {
namespace {

using testing::GetTrained;

std::unique_ptr<Predictor> Load(const testing::Trained& t) {
  auto b = DecodeBundle(t.bytes, "test.mlpb");
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  auto p = Predictor::Create(std::move(b).value());
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(p).value();
}

void ExpectSameAsTraining(const std::string& key) {
  const auto& t = GetTrained(key);
  auto p = Load(t);
  // The raw test rows, target and all (extra columns are ignored).
  auto s = p->Predict(t.data.Take(t.result.test_rows));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const models::Predictions& want = t.result.best().test_predictions;
  ASSERT_EQ(s->rows, want.rows);
  if (want.task == models::Task::kRegression) {
    EXPECT_EQ(s->values, want.values);
  } else {
    EXPECT_EQ(s->probabilities, want.probabilities);
    EXPECT_EQ(s->labels, want.labels);
  }
  auto g = p->VerifyGolden();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_TRUE(g->ok()) << g->first_problem;
  EXPECT_EQ(g->rows, std::min<size_t>(32, t.result.test_rows.size()));
  EXPECT_EQ(g->max_relative_error, 0);
}

TEST(Predictor, BinaryGbdtMatchesTraining) { ExpectSameAsTraining("gbdt"); }
TEST(Predictor, BinaryLogregMatchesTraining) { ExpectSameAsTraining("logreg"); }
TEST(Predictor, RegressionMatchesTraining) { ExpectSameAsTraining("ridge"); }
TEST(Predictor, MulticlassMatchesTraining) { ExpectSameAsTraining("gbdt-multi"); }

TEST(Predictor, ChangedGoldenExpectationIsReported) {
  const auto& t = GetTrained("gbdt");
  ModelBundle b = t.bundle;
  double& v = b.golden["expected"][2]["probabilities"][1].get_ref<double&>();
  v += 1e-9;
  auto p = Predictor::Create(std::move(b));
  ASSERT_TRUE(p.ok());
  auto g = (*p)->VerifyGolden();
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->mismatches, 1u);
  EXPECT_NE(g->first_problem.find("golden row 2 (data row "), std::string::npos)
      << g->first_problem;
  EXPECT_NE(g->first_problem.find("prob_"), std::string::npos);
}

TEST(Predictor, MissingColumnIsNamed) {
  const auto& t = GetTrained("gbdt");
  auto p = Load(t);
  auto s = p->Predict(t.data.Take(t.result.test_rows).Drop({"duration"}));
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("input has no column 'duration'"), std::string::npos)
      << s.status().message();
}

// A table like `src` with column `name` replaced by text values.
table::Table WithText(const table::Table& src, const std::string& name,
                      const std::vector<std::string>& values) {
  table::Table out;
  for (const auto& c : src.columns()) {
    if (c.name() == name) {
      EXPECT_TRUE(out.AddColumn(table::Column::String(name, values)).ok());
    } else {
      EXPECT_TRUE(out.AddColumn(c).ok());
    }
  }
  return out;
}

TEST(Predictor, WrongTypeNamesColumnAndRow) {
  const auto& t = GetTrained("gbdt");
  auto p = Load(t);
  const table::Table rows = t.data.Take({0, 1, 2});
  auto s = p->Predict(WithText(rows, "duration", {"6", "48", "six"}));
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("column 'duration' row 2: 'six' is not a valid"),
            std::string::npos)
      << s.status().message();
  // Numbers read as text convert exactly.
  auto ok = p->Predict(WithText(rows, "duration", {"6", "48", "12"}));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto same = p->Predict(rows);
  EXPECT_EQ(ok->probabilities, same->probabilities);
}

TEST(Predictor, SingleRowEqualsBatchRow) {
  const auto& t = GetTrained("gbdt");
  auto p = Load(t);
  const auto& golden = t.bundle.golden;
  core::Json row = core::Json::object();
  for (size_t k = 0; k < golden["columns"].size(); ++k) {
    row[golden["columns"][k].get<std::string>()] = golden["rows"][5][k];
  }
  auto s = p->PredictRow(row);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->rows, 1u);
  EXPECT_EQ(s->probabilities[1], golden["expected"][5]["probabilities"][1].get<double>());
  row.erase("age");
  EXPECT_NE(p->PredictRow(row).status().message().find("'age'"), std::string::npos);
}

// Contributions plus bias give the margin; through the link (sigmoid,
// softmax, identity) it is the probability or value that Predict gives.
void ExpectExplanationSumsToPrediction(const std::string& key) {
  const auto& t = GetTrained(key);
  auto p = Load(t);
  table::Table rows = t.data.Take(t.result.test_rows);
  auto s = p->Predict(rows);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  for (size_t r : {size_t{0}, size_t{3}, rows.num_rows() - 1}) {
    auto e = p->Explain(rows, r);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_EQ(e->feature_names.size(), e->num_features);
    std::vector<double> margin(e->num_outputs);
    for (size_t o = 0; o < e->num_outputs; ++o) {
      margin[o] = e->bias[o];
      for (size_t f = 0; f < e->num_features; ++f) {
        margin[o] += e->contributions[o * e->num_features + f];
      }
    }
    if (s->task == models::Task::kRegression) {
      EXPECT_NEAR(margin[0], s->values[r], 1e-6 * std::max(1.0, std::fabs(s->values[r])));
    } else if (s->task == models::Task::kBinary) {
      EXPECT_NEAR(1 / (1 + std::exp(-margin[0])), s->probabilities[r * 2 + 1], 1e-6);
    } else {
      double z = 0;
      for (double m : margin) z += std::exp(m);
      for (size_t c = 0; c < s->num_classes; ++c) {
        EXPECT_NEAR(std::exp(margin[c]) / z, s->probabilities[r * s->num_classes + c], 1e-6);
      }
    }
  }
  EXPECT_EQ(p->Explain(rows, rows.num_rows()).status().code(), StatusCode::kOutOfRange);
}

TEST(Predictor, ExplanationSumsToPredictionGbdt) { ExpectExplanationSumsToPrediction("gbdt"); }
TEST(Predictor, ExplanationSumsToPredictionLogreg) { ExpectExplanationSumsToPrediction("logreg"); }
TEST(Predictor, ExplanationSumsToPredictionRidge) { ExpectExplanationSumsToPrediction("ridge"); }
TEST(Predictor, ExplanationSumsToPredictionMulticlass) {
  ExpectExplanationSumsToPrediction("gbdt-multi");
}

TEST(Predictor, ExplainRowEqualsExplainOfTheSameRow) {
  const auto& t = GetTrained("gbdt");
  auto p = Load(t);
  const auto& golden = t.bundle.golden;
  core::Json row = core::Json::object();
  for (size_t k = 0; k < golden["columns"].size(); ++k) {
    row[golden["columns"][k].get<std::string>()] = golden["rows"][2][k];
  }
  auto one = p->ExplainRow(row);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  auto table = TableFromJsonRows(t.bundle.schema, golden["rows"], "golden");
  ASSERT_TRUE(table.ok());
  auto batch = p->Explain(*table, 2);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(one->contributions, batch->contributions);
  EXPECT_EQ(one->bias, batch->bias);
}

TEST(Predictor, ThresholdDecidesBinaryLabel) {
  const auto& t = GetTrained("gbdt");
  ModelBundle b = t.bundle;
  b.threshold = 0.0;
  auto p = Predictor::Create(std::move(b));
  ASSERT_TRUE(p.ok());
  auto s = (*p)->Predict(t.data.Take(t.result.test_rows));
  ASSERT_TRUE(s.ok());
  for (size_t i = 0; i < s->rows; ++i) EXPECT_EQ(s->labels[i], 1);
  EXPECT_EQ((*p)->OutputColumns().size(), 4u);  // predicted, score, prob_bad, prob_good
}

}  // namespace
}  // namespace mlpipe::bundle
