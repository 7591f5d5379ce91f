// RowProgram: every transform's row kernel against the columnar path, row by
// row, on held-out rows with missing values, NaN, unseen categories and
// values a transform refuses.
#include "mlpipe/features/row_program.h"

#include <cmath>
#include <cstring>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feature_fixtures.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::features {
namespace {

using table::Column;
using table::DataType;

// `t` with holes: in column j, rows with (i + j) % 6 == 0 are missing; text
// columns hold a category never seen in training every 5th row; float column
// "x" holds NaN in row 4 and int column "n" is -3 in row 3 (log1p refuses it).
table::Table WithHoles(const table::Table& t) {
  table::Table out;
  for (size_t j = 0; j < t.num_columns(); ++j) {
    const Column& c = t.column(j);
    const size_t n = c.size();
    std::vector<uint8_t> valid(n);
    for (size_t i = 0; i < n; ++i) valid[i] = c.IsValid(i) && (i + j) % 6 != 0;
    Column col;
    switch (c.type()) {
      case DataType::kBool:
        col = Column::Bool(c.name(), c.bools(), valid);
        break;
      case DataType::kInt64: {
        std::vector<int64_t> v = c.int64s();
        if (c.name() == "n" && n > 3) v[3] = -3;
        col = Column::Int64(c.name(), v, valid);
        break;
      }
      case DataType::kFloat64: {
        std::vector<double> v = c.float64s();
        if (c.name() == "x" && n > 4) v[4] = std::nan("");
        col = Column::Float64(c.name(), v, valid);
        break;
      }
      default: {
        std::vector<std::string> v(n);
        for (size_t i = 0; i < n; ++i) {
          v[i] = c.IsValid(i) ? std::string(c.TextAt(i)) : "";
          if (i % 5 == 2) v[i] = "never-seen-" + std::to_string(i);
        }
        col = c.type() == DataType::kString ? Column::String(c.name(), v, valid)
                                            : Column::CategoricalFromStrings(c.name(), v, valid);
      }
    }
    EXPECT_TRUE(out.AddColumn(std::move(col)).ok());
  }
  return out;
}

// The input cells of row `i` of `t` for `program`. Texts view `t`.
std::vector<RowCell> Cells(const RowProgram& program, const table::Table& t, size_t i) {
  std::vector<RowCell> cells(program.num_slots());
  for (size_t k = 0; k < program.inputs().size(); ++k) {
    const Column& c = *t.FindColumn(program.inputs()[k].name);
    RowCell& cell = cells[k];
    cell.valid = c.IsValid(i);
    if (!cell.valid) continue;
    switch (c.type()) {
      case DataType::kBool:
        cell.num = c.bools()[i] ? 1 : 0;
        break;
      case DataType::kInt64:
        cell.i64 = c.int64s()[i];
        cell.num = static_cast<double>(cell.i64);
        break;
      case DataType::kFloat64:
        cell.num = c.float64s()[i];
        break;
      default:
        cell.text = c.TextAt(i);
    }
  }
  return cells;
}

bool SameFloat(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

// Fits `spec` on training rows, compiles the JSON round trip of the fitted
// pipeline and compares every row of the held-out rows (with holes) with a
// one-row ToMatrix: features bit for bit, or the same error. Returns the
// number of rows that failed on both paths.
size_t ExpectRowsMatch(const std::string& spec) {
  SCOPED_TRACE(spec);
  const table::Table train = testing::MixedTable(300, 4);
  const table::Table test = WithHoles(testing::MixedTable(90, 11));
  auto fitted = FeaturePipeline::FromJson(core::Json::parse(spec));
  EXPECT_TRUE(fitted.ok()) << fitted.status().ToString();
  auto out = fitted->FitTransform(train, train.FindColumn("y"));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  auto p = FeaturePipeline::FromJson(fitted->ToJson());
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  auto program = RowProgram::Compile(*p);
  EXPECT_TRUE(program.ok()) << program.status().ToString();
  if (!program.ok()) return 0;
  EXPECT_EQ(program->num_features(), p->output_columns().size());
  size_t failed = 0;
  std::vector<float> features(program->num_features());
  for (size_t i = 0; i < test.num_rows(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    auto m = p->ToMatrix(testing::Rows(test, i, i + 1));
    std::vector<RowCell> cells = Cells(*program, test, i);
    Status s = program->Run(cells.data(), features.data(), 0);
    EXPECT_EQ(s.ok(), m.ok()) << s.ToString() << " / " << m.status().ToString();
    if (!m.ok()) {
      // The row path names the step, column and value as the columnar path does.
      EXPECT_EQ(s.message(), m.status().message());
      ++failed;
      continue;
    }
    EXPECT_EQ(m->cols, features.size());
    if (m->cols != features.size()) break;
    for (size_t j = 0; j < m->cols; ++j) {
      EXPECT_TRUE(SameFloat(m->at(0, j), features[j]))
          << m->names[j] << ": columnar " << m->at(0, j) << ", row " << features[j];
    }
  }
  return failed;
}

TEST(RowProgram, ImputeScaleOneHotOrdinal) {
  EXPECT_EQ(ExpectRowsMatch(R"j([
    {"name": "impute", "columns": ["x"], "strategy": "mean", "add_indicator": true},
    {"name": "impute", "columns": ["color"], "strategy": "most_frequent"},
    {"name": "impute", "columns": ["n", "b"], "strategy": "median"},
    {"name": "impute", "columns": ["city"], "strategy": "constant", "fill_value": "somewhere"},
    {"name": "scale", "columns": ["x", "z", "n"]},
    {"name": "one_hot", "columns": ["color"], "min_frequency": 0.2, "handle_unknown": "other"},
    {"name": "one_hot", "columns": ["city"], "max_categories": 5, "handle_unknown": "ignore"},
    {"name": "ordinal", "columns": ["note"], "handle_unknown": "value", "unknown_value": -7}
  ])j"),
            0u);
}

TEST(RowProgram, MinmaxClipBinDummyHashDrop) {
  EXPECT_EQ(ExpectRowsMatch(R"j([
    {"name": "clip", "columns": ["x", "n"], "lower": 0.05, "upper": 0.9},
    {"name": "scale", "columns": ["x"], "method": "minmax", "feature_range": [-1, 2]},
    {"name": "log1p", "columns": ["n"]},
    {"name": "bin", "columns": ["x"], "method": "quantile", "n_bins": 4},
    {"name": "bin", "columns": ["z"], "method": "uniform", "n_bins": 6},
    {"name": "dummy", "columns": ["color"], "handle_unknown": "ignore"},
    {"name": "hash", "columns": ["city", "note"], "n_buckets": 8, "alternate_sign": true},
    {"name": "drop", "columns": ["b"]}
  ])j"),
            0u);
}

TEST(RowProgram, ExpressionRobustIqrPcaNumericCategoriesSelect) {
  EXPECT_EQ(ExpectRowsMatch(R"j([
    {"name": "expression", "output": "xz", "expression": "x * z + n / (b - 1)"},
    {"name": "scale", "columns": ["z"], "method": "robust"},
    {"name": "clip", "columns": ["n"], "method": "iqr", "k": 0.5},
    {"name": "impute", "columns": ["z", "n"], "strategy": "mean"},
    {"name": "pca", "columns": ["z", "n"], "n_components": 2},
    {"name": "one_hot", "columns": ["b"], "handle_unknown": "ignore"},
    {"name": "ordinal", "columns": ["color", "city"], "handle_unknown": "value",
     "unknown_value": null},
    {"name": "select", "columns": ["pc2", "xz", "pc1", "b=true", "color", "city", "x"]}
  ])j"),
            0u);
}

TEST(RowProgram, FiltersKeepTheColumnarChoice) {
  EXPECT_EQ(ExpectRowsMatch(R"j([
    {"name": "expression", "output": "one", "expression": "n * 0 + 1"},
    {"name": "expression", "output": "z2", "expression": "z * 2"},
    {"name": "variance_threshold", "columns": ["one", "x", "n"]},
    {"name": "correlation_filter", "columns": ["z", "z2", "x"], "threshold": 0.9},
    {"name": "hash", "columns": ["color", "city", "note"], "n_buckets": 4}
  ])j"),
            0u);
}

TEST(RowProgram, RowsTheColumnarPathRefusesFailAlike) {
  // one_hot's and ordinal's "error" policy on unseen categories, and log1p of
  // n = -3: the same rows fail with the same message (row numbered 0, as a
  // one-row table numbers it).
  EXPECT_GT(ExpectRowsMatch(R"j([
    {"name": "one_hot", "columns": ["color"]},
    {"name": "ordinal", "columns": ["note"]},
    {"name": "hash", "columns": ["city"], "n_buckets": 3}
  ])j"),
            10u);
  EXPECT_EQ(ExpectRowsMatch(R"j([
    {"name": "log1p", "columns": ["n"]},
    {"name": "hash", "columns": ["color", "city", "note"], "n_buckets": 2}
  ])j"),
            1u);
}

TEST(RowProgram, TargetEncodeHasNoRowKernel) {
  const table::Table train = testing::MixedTable(200, 4);
  auto p = FeaturePipeline::FromJson(core::Json::parse(R"j([
    {"name": "scale", "columns": ["x"]},
    {"name": "target_encode", "columns": ["city"]},
    {"name": "hash", "columns": ["color", "note"], "n_buckets": 2}
  ])j"));
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->FitTransform(train, train.FindColumn("y")).ok());
  auto program = RowProgram::Compile(*p);
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(program.status().message(), ::testing::AllOf(::testing::HasSubstr("step 2"),
                                                           ::testing::HasSubstr("target_encode"),
                                                           ::testing::HasSubstr("columnar")));
}

TEST(RowProgram, UnencodedOutputIsRefusedAtCompile) {
  const table::Table train = testing::MixedTable(100, 4);
  auto p =
      FeaturePipeline::FromJson(core::Json::parse(R"j([{"name": "scale", "columns": ["x"]}])j"));
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->FitTransform(train, train.FindColumn("y")).ok());
  auto program = RowProgram::Compile(*p);
  ASSERT_FALSE(program.ok());
  auto m = p->ToMatrix(train);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(program.status().message(), m.status().message());
}

}  // namespace
}  // namespace mlpipe::features
