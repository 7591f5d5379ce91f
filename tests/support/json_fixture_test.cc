// The golden-file helpers must be able to fail: a loop over an empty, missing
// or short list of cases is a failure, not a pass over nothing.
#include "json_fixture.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cmath>

namespace mlpipe::test_support {
namespace {

using core::Json;

TEST(ForEachCaseTest, VisitsEveryCaseInOrder) {
  const Json f = Json::parse(R"({"cases": [{"name": "a", "v": 1}, {"name": "b", "v": 2}]})");
  std::vector<int> seen;
  EXPECT_EQ(ForEachCase(f, "cases", 2, [&](const Json& c) { seen.push_back(c["v"].get<int>()); }),
            2u);
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

TEST(ForEachCaseTest, AnEmptyListFails) {
  const Json f = Json::parse(R"({"cases": []})");
  EXPECT_NONFATAL_FAILURE(ForEachCase(f, "cases", 1, [](const Json&) {}),
                          "has 0 cases, expected at least 1");
}

TEST(ForEachCaseTest, FewerThanTheMinimumFails) {
  const Json f = Json::parse(R"({"cases": [{}, {}]})");
  EXPECT_NONFATAL_FAILURE(ForEachCase(f, "cases", 3, [](const Json&) {}),
                          "has 2 cases, expected at least 3");
}

TEST(ForEachCaseTest, AMissingKeyOrANonListFails) {
  const Json f = Json::parse(R"({"cases": {"a": 1}})");
  EXPECT_NONFATAL_FAILURE(ForEachCase(f, "other", 0, [](const Json&) {}),
                          "fixture has no \"other\" cases");
  EXPECT_NONFATAL_FAILURE(ForEachCase(f, "cases", 0, [](const Json&) {}), "is not a list of cases");
  EXPECT_NONFATAL_FAILURE(ForEachCase(Json::object(), "cases", 0, [](const Json&) {}),
                          "fixture has no \"cases\" cases");
}

TEST(ForEachCaseTest, AFailureInsideACaseNamesTheCase) {
  const Json f = Json::parse(R"({"psi": [{"name": "stable"}, {"name": "shift"}]})");
  EXPECT_NONFATAL_FAILURE(
      ForEachCase(f, "psi", 1,
                  [](const Json& c) { EXPECT_NE(c["name"].get<std::string>(), "shift"); }),
      "psi[1] shift");
}

TEST(RelNearTest, ToleranceIsRelative) {
  EXPECT_TRUE(RelNear(1.0 + 1e-10, 1.0, 1e-9));
  EXPECT_FALSE(RelNear(1.0 + 1e-8, 1.0, 1e-9));
  EXPECT_TRUE(RelNear(NAN, NAN, 1e-9));
  EXPECT_FALSE(RelNear(1.0, NAN, 1e-9));
}

}  // namespace
}  // namespace mlpipe::test_support
