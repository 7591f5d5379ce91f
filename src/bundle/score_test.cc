// Batch scoring (score.h): the CSV holds the training-time predictions read
// back exactly, whatever the chunk size, with the documented header.
#include "mlpipe/bundle/score.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

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

// `t` with column `name` replaced by `c`.
table::Table WithColumn(const table::Table& t, table::Column c) {
  table::Table out;
  for (const auto& col : t.columns()) {
    EXPECT_TRUE(out.AddColumn(col.name() == c.name() ? c : col).ok());
  }
  return out;
}

std::vector<double> NumericValues(const table::Column& c) {
  std::vector<double> v(c.size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = c.NumericAt(i);
  return v;
}

// A missing value in a numeric column that the training rows never lacked is
// scored as the training median (the linear model sees imputed input), and
// the batch is not refused.
TEST(ScoreToCsv, MissingNumericValueIsScoredAsTheTrainingMedian) {
  const auto& t = GetTrained("logreg");
  auto p = Predictor::Create(t.bundle);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const table::Table test = t.data.Take(t.result.test_rows);
  const table::Table train = t.data.Take(t.result.train_rows);
  auto dur = test.GetColumn("duration");
  ASSERT_TRUE(dur.ok());
  ASSERT_EQ((*dur)->null_count(), 0u);
  ASSERT_EQ((*train.GetColumn("duration"))->null_count(), 0u);
  std::vector<double> train_dur = NumericValues(**train.GetColumn("duration"));
  std::sort(train_dur.begin(), train_dur.end());
  const size_t m = train_dur.size();
  const double median = m % 2 ? train_dur[m / 2] : (train_dur[m / 2 - 1] + train_dur[m / 2]) / 2;
  std::vector<double> v = NumericValues(**dur), filled = v;
  std::vector<uint8_t> valid(v.size(), 1);
  for (size_t i = 0; i < v.size(); i += 4) {
    valid[i] = 0;
    filled[i] = median;
  }
  auto gaps = ScoreToCsv(**p, WithColumn(test, table::Column::Float64("duration", v, valid)));
  ASSERT_TRUE(gaps.ok()) << gaps.status().ToString();
  auto want = ScoreToCsv(**p, WithColumn(test, table::Column::Float64("duration", filled)));
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  EXPECT_EQ(*gaps, *want);
}

// A row that cannot be scored is reported alone, with empty output fields;
// the other rows get the predictions they get without it.
TEST(ScoreToCsv, AnUnscorableRowIsReportedAndTheOthersScored) {
  const auto& t = GetTrained("gbdt");
  auto p = Predictor::Create(t.bundle);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const table::Table test = t.data.Take(t.result.test_rows);
  auto dur = test.GetColumn("duration");
  ASSERT_TRUE(dur.ok());
  std::vector<std::string> text(test.num_rows());
  for (size_t i = 0; i < text.size(); ++i) text[i] = fmt::format("{}", (*dur)->NumericAt(i));
  text[5] = "five";
  text[17] = "seventeen";
  const table::Table bad = WithColumn(test, table::Column::String("duration", text));
  auto clean = ScoreToCsv(**p, test);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  for (size_t chunk : {size_t{1}, size_t{8}, size_t{65536}}) {
    std::vector<UnscoredRow> unscored;
    ScoreOptions o;
    o.chunk = chunk;
    o.unscored = &unscored;
    auto csv = ScoreToCsv(**p, bad, o);
    ASSERT_TRUE(csv.ok()) << csv.status().ToString();
    ASSERT_EQ(unscored.size(), 2u) << chunk;
    EXPECT_EQ(unscored[0].row, 5u);
    EXPECT_EQ(unscored[1].row, 17u);
    EXPECT_NE(unscored[0].status.message().find("five"), std::string::npos)
        << unscored[0].status.message();
    auto lines = [](const std::string& text) {
      std::vector<std::string> out;
      std::istringstream in(text);
      for (std::string line; std::getline(in, line);) out.push_back(line);
      return out;
    };
    const auto got = lines(*csv), want = lines(*clean);
    const std::string empty_fields((*p)->OutputColumns().size(), ',');
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      if (i == 6 || i == 18) {
        EXPECT_EQ(got[i], std::to_string(i - 1) + empty_fields);
        continue;
      }
      EXPECT_EQ(got[i], want[i]) << "line " << i;
    }
    // Without a place to report them, the first such row fails the call.
    ScoreOptions strict;
    strict.chunk = chunk;
    EXPECT_FALSE(ScoreToCsv(**p, bad, strict).ok());
  }
}

}  // namespace
}  // namespace mlpipe::bundle
