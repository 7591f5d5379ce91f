// Loops over the whole transform table: fit each transform on a mixed table,
// save it, load it, and check that the loaded transform gives identical
// output (and identical JSON). A transform added to the table without a spec
// here fails the test.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "feature_fixtures.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::features {
namespace {

const std::map<std::string, core::Json>& Specs() {
  static const std::map<std::string, core::Json> specs = {
      {"impute",
       {{"columns", {"x", "color"}}, {"strategy", "most_frequent"}, {"add_indicator", true}}},
      {"scale", {{"columns", {"x", "z", "n"}}, {"method", "robust"}}},
      {"clip", {{"columns", {"x", "z"}}, {"method", "iqr"}}},
      {"log1p", {{"columns", {"n"}}}},
      {"bin", {{"columns", {"z", "n"}}, {"n_bins", 4}}},
      {"one_hot",
       {{"columns", {"color", "note"}}, {"max_categories", 3}, {"handle_unknown", "other"}}},
      {"dummy", {{"columns", {"color"}}}},
      {"ordinal", {{"columns", {"city", "b"}}}},
      {"hash", {{"columns", {"city", "note"}}, {"n_buckets", 8}}},
      {"target_encode", {{"columns", {"city"}}}},
      {"expression", {{"output", "ratio"}, {"expression", "z / (n + 1)"}}},
      {"select", {{"columns", {"z", "n", "color"}}}},
      {"drop", {{"columns", {"note"}}}},
      {"variance_threshold", {{"threshold", 1.0}}},
      {"correlation_filter", {{"threshold", 0.5}}},
      {"pca", {{"columns", {"z", "n"}}, {"n_components", 2}}},
  };
  return specs;
}

TEST(TransformTable, NamesAreUniqueAndDescribed) {
  std::set<std::string_view> seen;
  for (const auto& info : TransformTable()) {
    EXPECT_TRUE(seen.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    auto t = info.factory();
    EXPECT_EQ(t->name(), info.name);
    EXPECT_FALSE(t->fitted());
  }
}

TEST(TransformTable, EveryTransformRoundTrips) {
  const table::Table all = testing::MixedTable(600, 11);
  const table::Table train = testing::Rows(all, 0, 450);
  const table::Table test = testing::Rows(all, 450, 600);
  const table::Column* y = train.FindColumn("y");
  for (const auto& info : TransformTable()) {
    SCOPED_TRACE(std::string(info.name));
    auto it = Specs().find(std::string(info.name));
    ASSERT_NE(it, Specs().end()) << "add a round-trip spec for " << info.name;
    core::Json spec = it->second;
    spec["name"] = info.name;

    // The unfitted spec round-trips too.
    auto unfitted = TransformFromJson(spec, "spec");
    ASSERT_TRUE(unfitted.ok()) << unfitted.status().ToString();
    EXPECT_FALSE((*unfitted)->ToJson().contains("state"));
    auto again = TransformFromJson((*unfitted)->ToJson(), "spec");
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ((*again)->ToJson(), (*unfitted)->ToJson());

    auto p = FeaturePipeline::FromJson(core::Json::array({spec}));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    p->set_seed(3);
    auto fitted = p->FitTransform(train, y);
    ASSERT_TRUE(fitted.ok()) << fitted.status().ToString();
    auto out = p->Transform(test);
    ASSERT_TRUE(out.ok()) << out.status().ToString();

    const core::Json saved = p->ToJson();
    const core::Json& tj = saved["transforms"][0];
    EXPECT_EQ(tj["name"], info.name);
    EXPECT_EQ(tj["format_version"], Transform::kFormatVersion);
    EXPECT_TRUE(tj.contains("state"));
    auto text = core::ParseJson(saved.dump(), "saved.json");
    ASSERT_TRUE(text.ok());
    auto loaded = FeaturePipeline::FromJson(*text);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_TRUE(loaded->fitted());
    EXPECT_EQ(loaded->ToJson(), saved);
    auto out2 = loaded->Transform(test);
    ASSERT_TRUE(out2.ok()) << out2.status().ToString();
    EXPECT_TRUE(out2->Equals(*out));
    // Training rows through the loaded pipeline equal those through the
    // original (target_encode's FitTransform output is out-of-fold instead).
    auto train_a = p->Transform(train);
    auto train_b = loaded->Transform(train);
    ASSERT_TRUE(train_a.ok() && train_b.ok());
    EXPECT_TRUE(train_a->Equals(*train_b));
    if (info.name != "target_encode") {
      EXPECT_TRUE(train_a->Equals(*fitted));
    }
  }
}

}  // namespace
}  // namespace mlpipe::features
