// Test-only: small trainings on the example data sets, each run once per
// test binary and shared, and their bundles.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "mlpipe/bundle/build.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::bundle::testing {

struct Trained {
  table::Table data;
  eval::TrainResult result;
  ModelBundle bundle;
  std::string bytes;
};

// FAMILY (binary, credit-g), FAMILY-reg (regression, cpu), FAMILY-multi
// (multiclass, iris); "ridge" and "linear" alone are regression on cpu; "te"
// is gbdt on credit-g with a pipeline holding target_encode (no row kernel).
// FAMILY is one of the family table's names (gbdt, rf, tree, logreg, ...).
inline const Trained& GetTrained(const std::string& key) {
  // Never destroyed: XGBoost's thread-local state is gone by the time static
  // objects are destroyed at exit, and freeing a booster then corrupts the heap.
  static auto* cache = new std::map<std::string, std::unique_ptr<Trained>>();
  auto& slot = (*cache)[key];
  if (slot) return *slot;
  slot = std::make_unique<Trained>();
  eval::TrainOptions o;
  std::string file = "credit-g.csv";
  o.target = "class";
  const std::string family = key.substr(0, key.find('-'));
  o.families = {family};
  if (key == "ridge" || key == "linear" || key.ends_with("-reg")) {
    file = "cpu.csv";
    o.target = "class";
  } else if (key.ends_with("-multi")) {
    file = "iris.csv";
  } else if (key == "te") {
    o.families = {"gbdt"};
    o.pipelines["gbdt"] = core::Json::parse(R"j([
      {"name": "target_encode", "columns": ["purpose", "job"]},
      {"name": "one_hot", "handle_unknown": "ignore"},
      {"name": "impute", "strategy": "median"}
    ])j");
  }
  o.data = file;
  o.search = "random:2";
  o.cv = 2;
  o.seed = 3;
  o.bootstrap = 10;
  auto t = table::ReadCsv(core::Env::Default(),
                          std::string(MLPIPE_SOURCE_DIR) + "/examples/data/" + file);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  slot->data = std::move(t).value();
  auto r = eval::Train(slot->data, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  slot->result = std::move(r).value();
  BundleInfo info;
  info.created_by = "mlpipe test";
  info.lineage = {{"run_id", "0123"}};
  auto b = BuildBundle(slot->result, slot->data, info);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  slot->bundle = std::move(b).value();
  auto bytes = EncodeBundle(slot->bundle);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  slot->bytes = std::move(bytes).value();
  return *slot;
}

}  // namespace mlpipe::bundle::testing
