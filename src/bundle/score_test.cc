// Batch scoring (score.h): the CSV holds the training-time predictions read
// back exactly, whatever the chunk size, with the documented header.
#include "mlpipe/bundle/score.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "test_fixture.h"

namespace mlpipe::bundle {
namespace {

using testing::GetTrained;

std::vector<std::vector<std::string>> SplitCsv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string cell; std::getline(l, cell, ',');) cells.push_back(cell);
    out.push_back(std::move(cells));
  }
  return out;
}

void ExpectTrainingPredictions(const std::string& key) {
  const auto& t = GetTrained(key);
  auto p = Predictor::Create(t.bundle);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const table::Table test = t.data.Take(t.result.test_rows);
  size_t seen = 0, calls = 0;
  ScoreOptions whole;
  whole.on_chunk = [&](size_t rows) {
    seen += rows;
    ++calls;
  };
  auto csv = ScoreToCsv(**p, test, whole);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(seen, test.num_rows());
  EXPECT_EQ(calls, 1u);

  const auto lines = SplitCsv(*csv);
  ASSERT_EQ(lines.size(), test.num_rows() + 1);
  std::vector<std::string> header = {"row"};
  for (const auto& c : (*p)->OutputColumns()) header.push_back(c);
  EXPECT_EQ(lines[0], header);
  const models::Predictions& want = t.result.best().test_predictions;
  const auto& classes = t.bundle.classes;
  for (size_t i = 0; i < want.rows; ++i) {
    const auto& cells = lines[i + 1];
    ASSERT_EQ(cells.size(), header.size());
    EXPECT_EQ(cells[0], std::to_string(i));
    if (want.task == models::Task::kRegression) {
      EXPECT_EQ(std::strtod(cells[1].c_str(), nullptr), want.values[i]) << i;
      continue;
    }
    EXPECT_EQ(cells[1], classes[want.labels[i]]) << i;
    const size_t first_prob = want.task == models::Task::kBinary ? 3 : 2;
    if (want.task == models::Task::kBinary) {
      EXPECT_EQ(std::strtod(cells[2].c_str(), nullptr), want.probabilities[i * 2 + 1]);
    }
    for (size_t c = 0; c < classes.size(); ++c) {
      EXPECT_EQ(std::strtod(cells[first_prob + c].c_str(), nullptr),
                want.probabilities[i * classes.size() + c])
          << i << " " << c;
    }
  }

  // Chunks change nothing in the bytes.
  for (size_t chunk : {1, 7, 64}) {
    ScoreOptions o;
    o.chunk = chunk;
    calls = 0;
    o.on_chunk = [&](size_t) { ++calls; };
    auto chunked = ScoreToCsv(**p, test, o);
    ASSERT_TRUE(chunked.ok()) << chunked.status().ToString();
    EXPECT_EQ(*chunked, *csv) << "chunk " << chunk;
    EXPECT_EQ(calls, (test.num_rows() + chunk - 1) / chunk);
  }
}

TEST(ScoreToCsv, BinaryMatchesTraining) { ExpectTrainingPredictions("gbdt"); }
TEST(ScoreToCsv, MulticlassMatchesTraining) { ExpectTrainingPredictions("gbdt-multi"); }
TEST(ScoreToCsv, RegressionMatchesTraining) { ExpectTrainingPredictions("ridge"); }

TEST(ScoreToCsv, MissingColumnIsThePredictorsError) {
  const auto& t = GetTrained("gbdt");
  auto p = Predictor::Create(t.bundle);
  ASSERT_TRUE(p.ok());
  ScoreOptions o;
  o.chunk = 5;
  auto csv = ScoreToCsv(**p, t.data.Drop({"duration"}), o);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(csv.status().message().find("no column 'duration'"), std::string::npos);
  // An empty table is still checked against the schema, and gives a header alone.
  auto empty = ScoreToCsv(**p, t.data.Take({}));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(*empty, PredictionCsvHeader(**p));
}

}  // namespace
}  // namespace mlpipe::bundle
