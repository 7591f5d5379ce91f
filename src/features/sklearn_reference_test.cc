// Every case of testdata/reference.json: fit the spec on the training rows of
// a real data file, transform the test rows, compare with scikit-learn's (or
// numpy's / pandas') output; then save the fitted pipeline, load it, and
// check that the loaded one transforms identically.
#include <set>

#include <gtest/gtest.h>

#include "feature_fixtures.h"
#include "json_fixture.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::features {
namespace {

using testing::ColumnNear;
using testing::ExampleData;
using testing::Reference;
using testing::Rows;

class ReferenceCase : public ::testing::TestWithParam<size_t> {};

TEST_P(ReferenceCase, MatchesReference) {
  const core::Json& c = Reference()["cases"][GetParam()];
  SCOPED_TRACE(c["name"].get<std::string>() + " vs " + c["source"].get<std::string>());
  const table::Table& data = ExampleData(c["data"]);
  ASSERT_GT(data.num_rows(), 0u);
  const table::Table train = Rows(data, c["train_rows"][0], c["train_rows"][1]);
  const table::Table test = Rows(data, c["test_rows"][0], c["test_rows"][1]);
  const table::Column* target = nullptr;
  if (c.contains("target")) target = train.FindColumn(c["target"].get<std::string>());

  auto p = FeaturePipeline::FromJson(core::Json::array({c["spec"]}));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto fitted = p->FitTransform(train, target);
  ASSERT_TRUE(fitted.ok()) << fitted.status().ToString();
  auto out = p->Transform(test);
  ASSERT_TRUE(out.ok()) << out.status().ToString();

  const bool sign_free = c.value("sign_free", false);
  for (const auto& [name, expected] : c["expected"].items()) {
    const table::Column* col = out->FindColumn(name);
    ASSERT_NE(col, nullptr) << "no output column " << name;
    EXPECT_TRUE(ColumnNear(*col, expected, 1e-9, sign_free));
  }
  for (const auto& name : c.value("absent", core::Json::array())) {
    EXPECT_EQ(out->FindColumn(name.get<std::string>()), nullptr) << name;
  }
  if (c.contains("explained_variance")) {
    const auto state = p->transform(0).ToJson()["state"];
    for (size_t j = 0; j < c["explained_variance"].size(); ++j) {
      const double e = c["explained_variance"][j];
      EXPECT_NEAR(state["explained_variance"][j].get<double>(), e, 1e-9 * e);
    }
  }
  // The fitted state round-trips through JSON text.
  auto reparsed = core::ParseJson(p->ToJson().dump(), "pipeline.json");
  ASSERT_TRUE(reparsed.ok());
  auto loaded = FeaturePipeline::FromJson(*reparsed);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto again = loaded->Transform(test);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->Equals(*out));
}

std::string CaseName(const ::testing::TestParamInfo<size_t>& info) {
  return Reference()["cases"][info.param]["name"].get<std::string>();
}

INSTANTIATE_TEST_SUITE_P(Sklearn, ReferenceCase,
                         ::testing::Range<size_t>(0, Reference()["cases"].size()), CaseName);

TEST(ReferenceFile, CoversTheSklearnTransforms) {
  // At least as many cases as make_fixtures.py writes: the parameterised test
  // above runs once per case, so an emptied file would run none.
  std::set<std::string> names;
  test_support::ForEachCase(Reference(), "cases", 23, [&](const core::Json& c) {
    names.insert(c["spec"]["name"].get<std::string>());
  });
  for (const char* n : {"impute", "scale", "bin", "log1p", "clip", "one_hot", "dummy", "ordinal",
                        "hash", "target_encode", "pca", "variance_threshold", "expression"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
}

}  // namespace
}  // namespace mlpipe::features
