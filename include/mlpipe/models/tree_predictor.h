// TreeEnsemblePredictor: a compiled form of a saved XGBoost tree ensemble
// (gbtree) that predicts one row with no allocation, giving XGBoost's own
// outputs.
//
// Exactness: margins are accumulated as XGBoost does (float, base margin
// first, then trees in model order into their class group), so margins equal
// XGBoost's bit for bit. Probabilities apply the same float sigmoid / softmax
// as XGBoost 1.7; the tests hold them to 1e-7 absolute (libm differences could
// move the last bit).
//
// Layout: every tree is renumbered breadth-first so that a node's right child
// is left + 1, as XGBoost assumes; nodes live in one flat array and leaves loop
// onto themselves, so trees are walked several at a time with no branches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"

namespace mlpipe::models {

enum class Objective { kLogistic, kSoftprob, kSquaredError };

class TreeEnsemblePredictor {
 public:
  // `model` is XGBoost's JSON model (what XGBoosterSaveModelToBuffer writes
  // with {"format": "json"}), parsed. Errors (DataLoss) name the tree and
  // field that are malformed; unsupported objectives, boosters and
  // categorical splits are InvalidArgument.
  static Result<TreeEnsemblePredictor> FromXgboostJson(const core::Json& model);

  size_t num_features() const { return num_features_; }
  // 1, or the number of classes for multi:softprob.
  size_t num_outputs() const { return num_outputs_; }
  size_t num_trees() const { return tree_root_.size(); }
  Objective objective() const { return objective_; }

  // REQUIRES: `row` holds num_features() values (NaN = missing); `margin`
  // has room for num_outputs(). Thread safe; allocates nothing.
  void PredictMargin(const float* row, float* margin) const;
  // Margin then link: sigmoid (one value: P(class 1)), softmax (num_outputs
  // probabilities) or identity.
  void Predict(const float* row, float* out) const;

 private:
  struct Node {
    uint32_t feature;  // low 31 bits: feature index; top bit: missing goes left
    float threshold;   // go left when value < threshold; NaN for a leaf
    int32_t left;      // index of the left child (right = left + 1); leaf: own index - 1
  };
  static constexpr uint32_t kDefaultLeft = 0x80000000u;

  size_t num_features_ = 0;
  size_t num_outputs_ = 1;
  Objective objective_ = Objective::kSquaredError;
  float base_margin_ = 0;
  std::vector<Node> nodes_;
  std::vector<float> leaf_value_;     // per node; 0 for inner nodes
  std::vector<int32_t> tree_root_;    // per tree: index of its root in nodes_
  std::vector<int32_t> tree_group_;   // per tree: the output it adds to
  std::vector<int32_t> block_depth_;  // per block of kLanes trees: the deepest tree's depth
};

}  // namespace mlpipe::models
