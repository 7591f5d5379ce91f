// The model bundle of a real training: parts round-trip, the same training
// gives byte-identical bundles, and damage to any part is refused naming it.
#include "mlpipe/bundle/bundle.h"

#include <gtest/gtest.h>

#include <functional>

#include "mlpipe/bundle/build.h"
#include "test_fixture.h"

namespace mlpipe::bundle {
namespace {

using testing::GetTrained;

TEST(Bundle, RoundTripsEveryField) {
  const auto& t = GetTrained("gbdt");
  auto b = DecodeBundle(t.bytes, "credit.mlpb");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->created_by, "mlpipe test");
  EXPECT_EQ(b->task, models::Task::kBinary);
  EXPECT_EQ(b->target, "class");
  EXPECT_EQ(b->family, "gbdt");
  EXPECT_EQ(b->classes, t.result.target.classes);
  EXPECT_EQ(b->positive, t.result.target.classes[1]);
  EXPECT_EQ(b->threshold, 0.5);
  EXPECT_EQ(b->schema, t.bundle.schema);
  EXPECT_EQ(b->features, t.bundle.features);
  EXPECT_EQ(b->model, t.bundle.model);
  EXPECT_EQ(b->reference, t.bundle.reference);
  EXPECT_EQ(b->golden, t.bundle.golden);
  // The training summary without wall-clock fit times (a bundle's bytes must
  // not depend on how fast the machine was).
  core::Json expected_metrics = t.result.summary;
  for (auto* e : {&expected_metrics["best"], &expected_metrics["leaderboard"][0]}) {
    EXPECT_TRUE(e->contains("fit_seconds"));
    e->erase("fit_seconds");
    e->erase("search_fit_seconds");
  }
  EXPECT_EQ(b->metrics, expected_metrics);
  EXPECT_EQ(b->lineage["run_id"], "0123");
  ASSERT_EQ(b->parts.size(), std::size(kPartNames));
  for (size_t i = 0; i < b->parts.size(); ++i) EXPECT_EQ(b->parts[i].name, kPartNames[i]);
  // Re-encoding what was read gives the same bytes.
  auto again = EncodeBundle(*b);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, t.bytes);
}

TEST(Bundle, SchemaListsThePipelineInputsWithCategories) {
  const auto& t = GetTrained("gbdt");
  const auto& inputs = t.result.best().fitted.pipeline.input_columns();
  ASSERT_EQ(t.bundle.schema.columns.size(), inputs.size());
  EXPECT_EQ(t.bundle.schema.FindColumn("class"), nullptr);
  const auto* purpose = t.bundle.schema.FindColumn("purpose");
  ASSERT_NE(purpose, nullptr);
  ASSERT_TRUE(purpose->categories.has_value());
  EXPECT_GT(purpose->categories->size(), 5u);
  const auto& ref = t.bundle.reference["columns"];
  EXPECT_EQ(ref["duration"]["count"], t.result.train_rows.size());
  EXPECT_EQ(ref["duration"]["histogram"]["counts"].size(), 10u);
  uint64_t total = 0;
  for (const auto& [k, v] : ref["purpose"]["categories"].items()) total += v.get<uint64_t>();
  EXPECT_EQ(total, t.result.train_rows.size());
}

TEST(Bundle, SameTrainingGivesByteIdenticalBundle) {
  const auto& t = GetTrained("gbdt");
  BundleInfo info;
  info.created_by = "mlpipe test";
  info.lineage = {{"run_id", "0123"}};
  auto b = BuildBundle(t.result, t.data, info);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto bytes = EncodeBundle(*b);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, t.bytes);
  info.lineage["run_id"] = "other";
  auto other = EncodeBundle(*BuildBundle(t.result, t.data, info));
  EXPECT_NE(*other, t.bytes);
}

TEST(Bundle, FlippedByteInEveryPartIsRefusedNamingIt) {
  const auto& t = GetTrained("gbdt");
  auto b = DecodeBundle(t.bytes, "credit.mlpb");
  ASSERT_TRUE(b.ok());
  uint64_t m = 0;
  for (int i = 7; i >= 0; --i) m = (m << 8) | static_cast<unsigned char>(t.bytes[8 + i]);
  for (const auto& p : b->parts) {
    std::string bad = t.bytes;
    bad[kHeaderSize + m + p.offset + p.size / 3] ^= 0x40;
    auto r = DecodeBundle(bad, "credit.mlpb");
    ASSERT_FALSE(r.ok()) << p.name;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.status().message().find("part " + p.name + ": checksum mismatch"),
              std::string::npos)
        << r.status().message();
  }
}

TEST(Bundle, WritesAndReadsAFile) {
  const auto& t = GetTrained("gbdt");
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->CreateDirs("/d").ok());
  Status w = WriteBundleFile(env.get(), "/d/m.mlpb", t.bundle);
  ASSERT_TRUE(w.ok()) << w.ToString();
  auto b = ReadBundleFile(env.get(), "/d/m.mlpb");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->model, t.bundle.model);
  EXPECT_EQ(b->sha256.size(), 64u);
  EXPECT_EQ(ReadBundleFile(env.get(), "/d/none.mlpb").status().code(), StatusCode::kNotFound);
}

TEST(Bundle, BadThresholdIsRejected) {
  const auto& t = GetTrained("gbdt");
  BundleInfo info;
  info.threshold = 1.5;
  auto b = BuildBundle(t.result, t.data, info);
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find("threshold"), std::string::npos);
}

// Regression: golden rows holding null where a string belongs ended `bundle
// verify` with a raw library message (exit 3) and `predict` accepted the
// bundle. A crafted part (checksums valid) is refused on load, naming the
// part and field.
TEST(Bundle, CraftedPartsAreRefusedNamingPartAndField) {
  struct Case {
    const char* family;
    std::function<void(ModelBundle&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"gbdt", [](ModelBundle& b) { b.golden["expected"][0]["predicted"] = nullptr; },
       "m.mlpb: part golden.json: expected[0].predicted: expected a string, found null"},
      {"gbdt", [](ModelBundle& b) { b.golden["expected"][2]["predicted"] = "maybe"; },
       "m.mlpb: part golden.json: expected[2].predicted: 'maybe' is not one of the bundle's "
       "classes"},
      {"gbdt", [](ModelBundle& b) { b.golden["expected"][1]["probabilities"] = {0.5}; },
       "m.mlpb: part golden.json: expected[1].probabilities: 1 values for 2 classes"},
      {"gbdt", [](ModelBundle& b) { b.golden["expected"][1]["probabilities"][1] = "x"; },
       "m.mlpb: part golden.json: expected[1].probabilities[1]: expected a number, found string"},
      {"gbdt",
       [](ModelBundle& b) {
         b.golden["rows"][3] = {{"a", 1}};
       },
       "m.mlpb: part golden.json: rows[3]: expected a list, found object"},
      {"gbdt", [](ModelBundle& b) { b.golden["rows"][0][0] = core::Json::array(); },
       "m.mlpb: part golden.json: rows[0][0] ('" +
           GetTrained("gbdt").bundle.schema.columns[0].name + "'): expected a value, found array"},
      {"gbdt", [](ModelBundle& b) { b.golden.erase("expected"); },
       "m.mlpb: part golden.json: expected: missing"},
      {"gbdt", [](ModelBundle& b) { b.golden["source_rows"][0] = -1; },
       "m.mlpb: part golden.json: source_rows[0]: expected a non-negative integer, found number"},
      {"gbdt", [](ModelBundle& b) { b.metrics = core::Json::array(); },
       "m.mlpb: part metrics.json: (top level): expected an object, found array"},
      {"ridge", [](ModelBundle& b) { b.golden["expected"][4]["prediction"] = "12"; },
       "m.mlpb: part golden.json: expected[4].prediction: expected a number, found string"},
  };
  for (const Case& c : cases) {
    ModelBundle b = GetTrained(c.family).bundle;
    c.edit(b);
    auto bytes = EncodeBundle(b);
    ASSERT_TRUE(bytes.ok());
    auto r = DecodeBundle(*bytes, "m.mlpb");
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(r.status().message(), c.message);
  }
  // What mlpipe writes passes, for every task.
  for (const char* family : {"gbdt", "ridge", "gbdt-multi"}) {
    auto r = DecodeBundle(GetTrained(family).bytes, "m.mlpb");
    EXPECT_TRUE(r.ok()) << family << ": " << r.status().ToString();
  }
}

}  // namespace
}  // namespace mlpipe::bundle
