// The Predictor's row path and parallel batch path against the columnar path
// (the fitted pipeline's ToMatrix and the model's batch Predict), for every
// model family and task, on data rows and on rows with missing values and
// unseen categories: the same doubles, the same labels, the same errors.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "mlpipe/bundle/predictor.h"
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

// The columnar path, independent of the Predictor's scoring code.
Result<Scores> Columnar(const Predictor& p, const table::Table& t) {
  MLPIPE_ASSIGN_OR_RETURN(auto pipeline, features::FeaturePipeline::FromJson(p.bundle().features));
  MLPIPE_ASSIGN_OR_RETURN(table::Table conformed, p.Conform(t));
  MLPIPE_ASSIGN_OR_RETURN(table::DenseMatrix x, pipeline.ToMatrix(conformed));
  MLPIPE_ASSIGN_OR_RETURN(models::Predictions m, p.model().Predict(x));
  Scores s;
  s.rows = m.rows;
  s.values = m.values;
  s.probabilities = m.probabilities;
  s.labels = m.labels;
  if (p.bundle().task == models::Task::kBinary) {
    for (size_t i = 0; i < s.rows; ++i) {
      s.labels[i] = s.probabilities[2 * i + 1] > p.bundle().threshold ? 1 : 0;
    }
  }
  return s;
}

void ExpectSame(const Scores& want, const Scores& got) {
  EXPECT_EQ(want.rows, got.rows);
  EXPECT_EQ(want.values, got.values);  // bit for bit (no NaN among outputs)
  EXPECT_EQ(want.probabilities, got.probabilities);
  if (!want.probabilities.empty()) {
    EXPECT_EQ(want.labels, got.labels);
  }
}

// Schema rows as JSON objects: the first `n` data rows, then the same rows
// with holes: column (i % columns) missing, and every text column of every
// third row a category never seen in training.
std::vector<core::Json> TestRows(const Predictor& p, const table::Table& data, size_t n) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < std::min(n, data.num_rows()); ++i) idx.push_back(i);
  auto conformed = p.Conform(data.Take(idx));
  EXPECT_TRUE(conformed.ok()) << conformed.status().ToString();
  const core::Json lists = TableToJsonRows(*conformed);
  const auto& cols = p.bundle().schema.columns;
  std::vector<core::Json> out;
  for (int holes = 0; holes < 2; ++holes) {
    for (size_t i = 0; i < lists.size(); ++i) {
      core::Json row = core::Json::object();
      for (size_t k = 0; k < cols.size(); ++k) {
        core::Json v = lists[i][k];
        if (holes && k == i % cols.size()) v = nullptr;
        if (holes && i % 3 == 0 && !table::IsNumeric(cols[k].type)) v = "never-seen";
        row[cols[k].name] = v;
      }
      out.push_back(std::move(row));
    }
  }
  return out;
}

std::vector<RowValue> Values(const Predictor& p, const core::Json& row) {
  std::vector<RowValue> v;
  for (const auto& c : p.bundle().schema.columns) {
    const core::Json& x = row[c.name];
    if (x.is_null()) {
      v.emplace_back(std::monostate());
    } else if (x.is_string()) {
      v.emplace_back(std::string_view(x.get_ref<const std::string&>()));
    } else if (x.is_boolean()) {
      v.emplace_back(x.get<bool>());
    } else if (x.is_number_integer()) {
      v.emplace_back(x.get<int64_t>());
    } else {
      v.emplace_back(x.get<double>());
    }
  }
  return v;
}

void ExpectRowPathMatches(const std::string& key, bool row_path = true) {
  SCOPED_TRACE(key);
  const auto& t = GetTrained(key);
  auto p = Load(t);
  ASSERT_EQ(p->row_path(), row_path) << p->row_path_fallback();
  size_t failed = 0;
  for (const core::Json& row : TestRows(*p, t.data, 120)) {
    SCOPED_TRACE(row.dump());
    std::vector<core::Json> list;
    for (const auto& c : p->bundle().schema.columns) list.push_back(row[c.name]);
    auto table = TableFromJsonRows(p->bundle().schema, core::Json::array({list}), "row");
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    auto want = Columnar(*p, *table);
    auto got = p->PredictRow(row);
    ASSERT_EQ(want.ok(), got.ok()) << want.status().ToString() << " / " << got.status().ToString();
    auto values = Values(*p, row);
    auto direct = p->PredictRowValues(values);
    ASSERT_EQ(want.ok(), direct.ok()) << direct.status().ToString();
    if (!want.ok()) {
      EXPECT_EQ(want.status().message(), got.status().message());
      ++failed;
      continue;
    }
    ExpectSame(*want, *got);
    ExpectSame(*want, *direct);
  }
  // Linear models refuse the rows whose missing value no transform fills.
  if (key != "logreg" && key != "ridge" && key != "linear" && key != "logreg-multi") {
    EXPECT_EQ(failed, 0u);
  }
}

TEST(RowPath, GbdtBinary) { ExpectRowPathMatches("gbdt"); }
TEST(RowPath, ForestBinary) { ExpectRowPathMatches("rf"); }
TEST(RowPath, TreeBinary) { ExpectRowPathMatches("tree"); }
TEST(RowPath, LogregBinary) { ExpectRowPathMatches("logreg"); }
TEST(RowPath, GbdtMulticlass) { ExpectRowPathMatches("gbdt-multi"); }
TEST(RowPath, ForestMulticlass) { ExpectRowPathMatches("rf-multi"); }
TEST(RowPath, LogregMulticlass) { ExpectRowPathMatches("logreg-multi"); }
TEST(RowPath, GbdtRegression) { ExpectRowPathMatches("gbdt-reg"); }
TEST(RowPath, TreeRegression) { ExpectRowPathMatches("tree-reg"); }
TEST(RowPath, Ridge) { ExpectRowPathMatches("ridge"); }
TEST(RowPath, Linear) { ExpectRowPathMatches("linear"); }

TEST(RowPath, TargetEncodeFallsBackToTheColumnarPath) {
  ExpectRowPathMatches("te", /*row_path=*/false);
  auto p = Load(GetTrained("te"));
  EXPECT_NE(p->row_path_fallback().find("target_encode"), std::string::npos)
      << p->row_path_fallback();
}

TEST(RowPath, ValuesAreCheckedLikeTheColumnarPath) {
  auto p = Load(GetTrained("gbdt"));
  std::vector<RowValue> v(p->bundle().schema.columns.size(), RowValue(std::monostate()));
  v.pop_back();
  EXPECT_EQ(p->PredictRowValues(v).status().code(), StatusCode::kInvalidArgument);
  core::Json row = core::Json::object();
  for (const auto& c : p->bundle().schema.columns) row[c.name] = nullptr;
  const auto& dur = *p->bundle().schema.FindColumn("duration");
  row["duration"] = "soon";
  auto got = p->PredictRow(row);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("column 'duration' row 0: 'soon' is not a valid " +
                                        std::string(table::DataTypeName(dur.type))),
            std::string::npos)
      << got.status().ToString();
  row.erase("duration");
  EXPECT_NE(p->PredictRow(row).status().message().find("missing column 'duration'"),
            std::string::npos);
}

// Batch: chunks on two threads, on one, and the columnar path agree on a
// table of several chunks.
void ExpectBatchMatches(const std::string& key) {
  SCOPED_TRACE(key);
  const auto& t = GetTrained(key);
  auto p = Load(t);
  std::vector<size_t> idx;
  for (size_t i = 0; i < 9000; ++i) idx.push_back((i * 7) % t.data.num_rows());
  const table::Table big = t.data.Take(idx);
  core::ThreadPool two(2);
  auto a = p->Predict(big, &two);
  auto b = p->Predict(big, nullptr);
  auto want = Columnar(*p, big);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  ExpectSame(*want, *a);
  ExpectSame(*want, *b);
}

TEST(RowPath, BatchGbdt) { ExpectBatchMatches("gbdt"); }
TEST(RowPath, BatchLogregMulticlass) { ExpectBatchMatches("logreg-multi"); }
TEST(RowPath, BatchRidge) { ExpectBatchMatches("ridge"); }
TEST(RowPath, BatchFallback) { ExpectBatchMatches("te"); }

}  // namespace
}  // namespace mlpipe::bundle
