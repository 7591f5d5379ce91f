// Target encoding: out-of-fold encodings for training rows (no leakage),
// seeded folds, the full-data encoding for new rows.
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mlpipe/core/random.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::features {
namespace {

struct Data {
  table::Table features;
  table::Column target;
};

// Every row has its own category: an in-sample encoding would be
// (y_i + m prior) / (1 + m), a copy of the row's own target.
Data UniqueCategories(size_t n, uint64_t seed, size_t flip = SIZE_MAX) {
  core::Rng rng(seed);
  std::vector<std::string> id(n);
  std::vector<uint8_t> y(n);
  for (size_t i = 0; i < n; ++i) {
    id[i] = fmt::format("id{}", i);
    y[i] = rng.Uniform() < 0.4;
  }
  if (flip < n) y[flip] = !y[flip];
  Data d;
  EXPECT_TRUE(d.features.AddColumn(table::Column::CategoricalFromStrings("id", id)).ok());
  d.target = table::Column::Bool("y", y);
  return d;
}

Result<table::Table> FitEncode(const Data& d, uint64_t seed, FeaturePipeline* out = nullptr) {
  auto p = FeaturePipeline::FromJson(core::Json::parse(
      R"([{"name": "target_encode", "columns": ["id"], "smoothing": 1, "n_folds": 5}])"));
  if (!p.ok()) return p.status();
  p->set_seed(seed);
  auto t = p->FitTransform(d.features, &d.target);
  if (out) *out = std::move(*p);
  return t;
}

TEST(TargetEncode, TrainingRowNeverSeesItsOwnTarget) {
  const size_t n = 200;
  auto base = FitEncode(UniqueCategories(n, 5), 9);
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  // Flipping one row's target must not change that row's own encoding.
  for (size_t row : {0u, 17u, 123u, 199u}) {
    auto flipped = FitEncode(UniqueCategories(n, 5, row), 9);
    ASSERT_TRUE(flipped.ok());
    EXPECT_EQ(flipped->column(0).float64s()[row], base->column(0).float64s()[row]) << row;
  }
  // With unseen-elsewhere categories every row gets its fold's prior: at most
  // n_folds distinct values, none equal to an in-sample encoding.
  std::set<double> distinct(base->column(0).float64s().begin(), base->column(0).float64s().end());
  EXPECT_LE(distinct.size(), 5u);
}

TEST(TargetEncode, InSampleEncodingWouldLeak) {
  // The same data through Transform (the full-data encoding, meant for new
  // rows) does copy each row's target: the OOF path is what prevents it.
  Data d = UniqueCategories(100, 5);
  FeaturePipeline p;
  ASSERT_TRUE(FitEncode(d, 9, &p).ok());
  auto in_sample = p.Transform(d.features);
  ASSERT_TRUE(in_sample.ok());
  // Separation: every positive row encodes above every negative row.
  auto separates = [&](const std::vector<double>& enc) {
    double min_pos = 1e300, max_neg = -1e300;
    for (size_t i = 0; i < enc.size(); ++i) {
      if (d.target.bools()[i]) {
        min_pos = std::min(min_pos, enc[i]);
      } else {
        max_neg = std::max(max_neg, enc[i]);
      }
    }
    return min_pos > max_neg;
  };
  EXPECT_TRUE(separates(in_sample->column(0).float64s()));
  auto oof = FitEncode(d, 9);
  ASSERT_TRUE(oof.ok());
  EXPECT_FALSE(separates(oof->column(0).float64s()));
}

TEST(TargetEncode, SeededAndDeterministic) {
  Data d = UniqueCategories(300, 2);
  // Shared categories so that folds matter.
  std::vector<std::string> cat(300);
  for (size_t i = 0; i < 300; ++i) cat[i] = fmt::format("c{}", i % 7);
  Data shared{table::Table(), d.target};
  ASSERT_TRUE(shared.features.AddColumn(table::Column::CategoricalFromStrings("id", cat)).ok());
  auto a = FitEncode(shared, 1), b = FitEncode(shared, 1), c = FitEncode(shared, 2);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_TRUE(a->Equals(*b));
  EXPECT_FALSE(a->Equals(*c));
}

TEST(TargetEncode, TextTargets) {
  table::Table t;
  ASSERT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("k", {"a", "b", "a", "b"})).ok());
  auto three = table::Column::CategoricalFromStrings("y", {"x", "y", "x", "z"});
  auto p = FeaturePipeline::FromJson(core::Json::parse(R"([{"name": "target_encode"}])"));
  ASSERT_TRUE(p.ok());
  auto r = p->FitTransform(t, &three);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), ::testing::AllOf(::testing::HasSubstr("3 classes"),
                                                     ::testing::HasSubstr("positive")));
  auto q = FeaturePipeline::FromJson(
      core::Json::parse(R"([{"name": "target_encode", "positive": "x", "smoothing": 0}])"));
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->FitTransform(t, &three).ok());
  auto out = q->Transform(t);
  ASSERT_TRUE(out.ok());
  EXPECT_DOUBLE_EQ(out->column(0).float64s()[0], 1.0);  // both 'a' rows are x
  EXPECT_DOUBLE_EQ(out->column(0).float64s()[1], 0.0);
  EXPECT_EQ(p->FitTransform(t, nullptr).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mlpipe::features
