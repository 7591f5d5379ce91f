#include "mlpipe/models/tree_predictor.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <limits>

namespace mlpipe::models {

namespace {

// Trees walked side by side: enough independent chains to hide the latency of
// each node load.
constexpr size_t kLanes = 8;

// XGBoost writes some numbers as strings ("5E-1", "3").
Result<double> NumberField(const core::Json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return DataLossError(where + "." + key + ": missing");
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size()) return v;
  }
  return DataLossError(where + "." + key + ": not a number");
}

Result<const core::Json*> Child(const core::Json& j, const char* key, const std::string& where) {
  if (!j.is_object()) return DataLossError(where + ": not an object");
  auto it = j.find(key);
  if (it == j.end()) return DataLossError(where + "." + key + ": missing");
  return &*it;
}

template <typename T>
Result<std::vector<T>> ArrayField(const core::Json& tree, const char* key, const std::string& where,
                                  size_t n) {
  auto it = tree.find(key);
  if (it == tree.end() || !it->is_array() || it->size() != n) {
    return DataLossError(where + "." + key + ": expected an array of " + std::to_string(n));
  }
  std::vector<T> out;
  out.reserve(n);
  for (const auto& v : *it) {
    if (v.is_boolean())
      out.push_back(static_cast<T>(v.get<bool>()));
    else if (v.is_number())
      out.push_back(v.get<T>());
    else
      return DataLossError(where + "." + key + ": expected numbers");
  }
  return out;
}

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

Result<TreeEnsemblePredictor> TreeEnsemblePredictor::FromXgboostJson(const core::Json& model) {
  TreeEnsemblePredictor p;
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* learner, Child(model, "learner", "xgboost model"));
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* lmp, Child(*learner, "learner_model_param", "learner"));
  MLPIPE_ASSIGN_OR_RETURN(double base_score,
                          NumberField(*lmp, "base_score", "learner_model_param"));
  MLPIPE_ASSIGN_OR_RETURN(double num_feature,
                          NumberField(*lmp, "num_feature", "learner_model_param"));
  MLPIPE_ASSIGN_OR_RETURN(double num_class, NumberField(*lmp, "num_class", "learner_model_param"));
  if (num_feature < 1) return DataLossError("learner_model_param.num_feature must be >= 1");
  p.num_features_ = static_cast<size_t>(num_feature);

  MLPIPE_ASSIGN_OR_RETURN(const core::Json* obj, Child(*learner, "objective", "learner"));
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* obj_name, Child(*obj, "name", "learner.objective"));
  const std::string objective = obj_name->is_string() ? obj_name->get<std::string>() : "";
  const float base = static_cast<float>(base_score);
  // The base margin as XGBoost 1.7 derives it (ProbToMargin, in float).
  if (objective == "binary:logistic") {
    p.objective_ = Objective::kLogistic;
    p.base_margin_ = -std::log(1.0f / base - 1.0f);
  } else if (objective == "multi:softprob") {
    p.objective_ = Objective::kSoftprob;
    p.base_margin_ = base;
  } else if (objective == "reg:squarederror") {
    p.objective_ = Objective::kSquaredError;
    p.base_margin_ = base;
  } else {
    return InvalidArgumentError("xgboost model: objective '" + objective +
                                "' is not supported (binary:logistic, multi:softprob, "
                                "reg:squarederror)");
  }
  p.num_outputs_ = p.objective_ == Objective::kSoftprob ? static_cast<size_t>(num_class) : 1;
  if (p.num_outputs_ < 1) return DataLossError("learner_model_param.num_class must be >= 1");

  MLPIPE_ASSIGN_OR_RETURN(const core::Json* gb, Child(*learner, "gradient_booster", "learner"));
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* gb_name, Child(*gb, "name", "gradient_booster"));
  if (*gb_name != "gbtree") {
    return InvalidArgumentError("xgboost model: booster " + gb_name->dump() +
                                " is not supported (gbtree)");
  }
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* m, Child(*gb, "model", "gradient_booster"));
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* trees, Child(*m, "trees", "model"));
  MLPIPE_ASSIGN_OR_RETURN(const core::Json* info, Child(*m, "tree_info", "model"));
  if (!trees->is_array() || !info->is_array() || trees->size() != info->size()) {
    return DataLossError("xgboost model: trees and tree_info differ in length");
  }

  std::vector<int32_t> depths;
  for (size_t t = 0; t < trees->size(); ++t) {
    const core::Json& tree = (*trees)[t];
    const std::string where = "trees[" + std::to_string(t) + "]";
    MLPIPE_ASSIGN_OR_RETURN(const core::Json* tp, Child(tree, "tree_param", where));
    MLPIPE_ASSIGN_OR_RETURN(double nn, NumberField(*tp, "num_nodes", where + ".tree_param"));
    const size_t n = static_cast<size_t>(nn);
    if (n < 1) return DataLossError(where + ": no nodes");
    MLPIPE_ASSIGN_OR_RETURN(auto left, ArrayField<int64_t>(tree, "left_children", where, n));
    MLPIPE_ASSIGN_OR_RETURN(auto right, ArrayField<int64_t>(tree, "right_children", where, n));
    MLPIPE_ASSIGN_OR_RETURN(auto feat, ArrayField<int64_t>(tree, "split_indices", where, n));
    MLPIPE_ASSIGN_OR_RETURN(auto cond, ArrayField<float>(tree, "split_conditions", where, n));
    MLPIPE_ASSIGN_OR_RETURN(auto dl, ArrayField<int64_t>(tree, "default_left", where, n));
    if (tree.contains("split_type")) {
      MLPIPE_ASSIGN_OR_RETURN(auto st, ArrayField<int64_t>(tree, "split_type", where, n));
      for (int64_t s : st) {
        if (s != 0) return InvalidArgumentError(where + ": categorical splits are not supported");
      }
    }
    int64_t group = (*info)[t].is_number_integer() ? (*info)[t].get<int64_t>() : -1;
    if (group < 0 || static_cast<size_t>(group) >= p.num_outputs_) {
      return DataLossError("tree_info[" + std::to_string(t) + "]: class " + std::to_string(group) +
                           " out of range");
    }

    // Breadth-first renumbering: the children of a node are placed side by
    // side (right = left + 1), whatever XGBoost's own numbering.
    const int32_t root = static_cast<int32_t>(p.nodes_.size());
    std::deque<std::pair<size_t, int32_t>> queue;  // (xgboost id, depth)
    std::vector<size_t> order = {0};
    std::vector<int32_t> depth_of = {0};
    std::vector<bool> seen(n, false);
    seen[0] = true;
    int32_t max_depth = 0;
    for (size_t k = 0; k < order.size(); ++k) {
      const size_t id = order[k];
      if (left[id] == -1) continue;
      for (int64_t c : {left[id], right[id]}) {
        if (c <= 0 || static_cast<size_t>(c) >= n || seen[static_cast<size_t>(c)]) {
          return DataLossError(where + ": node " + std::to_string(id) + " has a bad child " +
                               std::to_string(c));
        }
        seen[static_cast<size_t>(c)] = true;
        order.push_back(static_cast<size_t>(c));
        depth_of.push_back(depth_of[k] + 1);
        max_depth = std::max(max_depth, depth_of[k] + 1);
      }
    }
    std::vector<int32_t> new_index(n, -1);
    for (size_t k = 0; k < order.size(); ++k) new_index[order[k]] = root + static_cast<int32_t>(k);
    for (size_t k = 0; k < order.size(); ++k) {
      const size_t id = order[k];
      const int32_t self = root + static_cast<int32_t>(k);
      Node node;
      if (left[id] == -1) {
        // A leaf loops onto itself: NaN threshold never sends left, and
        // left + 1 is its own index.
        node.feature = 0;
        node.threshold = std::numeric_limits<float>::quiet_NaN();
        node.left = self - 1;
        p.leaf_value_.push_back(cond[id]);
      } else {
        if (feat[id] < 0 || static_cast<size_t>(feat[id]) >= p.num_features_) {
          return DataLossError(where + ": node " + std::to_string(id) + " splits on feature " +
                               std::to_string(feat[id]) + " of " + std::to_string(p.num_features_));
        }
        if (new_index[static_cast<size_t>(right[id])] !=
            new_index[static_cast<size_t>(left[id])] + 1) {
          return InternalError(where + ": breadth-first renumbering broke sibling order");
        }
        node.feature = static_cast<uint32_t>(feat[id]) | (dl[id] != 0 ? kDefaultLeft : 0u);
        node.threshold = cond[id];
        node.left = new_index[static_cast<size_t>(left[id])];
        p.leaf_value_.push_back(0.0f);
      }
      p.nodes_.push_back(node);
    }
    p.tree_root_.push_back(root);
    p.tree_group_.push_back(static_cast<int32_t>(group));
    depths.push_back(max_depth);
  }
  for (size_t b = 0; b < depths.size(); b += kLanes) {
    int32_t d = 0;
    for (size_t t = b; t < std::min(depths.size(), b + kLanes); ++t) d = std::max(d, depths[t]);
    p.block_depth_.push_back(d);
  }
  return p;
}

void TreeEnsemblePredictor::PredictMargin(const float* row, float* margin) const {
  for (size_t k = 0; k < num_outputs_; ++k) margin[k] = base_margin_;
  const Node* nodes = nodes_.data();
  const size_t num_trees = tree_root_.size();
  auto step = [row, nodes](int32_t i) {
    const Node& nd = nodes[i];
    const float v = row[nd.feature & ~kDefaultLeft];
    // NaN compares false: a missing value goes left only if default_left.
    const bool go_left = (v < nd.threshold) | (std::isnan(v) & ((nd.feature & kDefaultLeft) != 0));
    return nd.left + 1 - static_cast<int32_t>(go_left);
  };
  for (size_t b = 0, block = 0; b < num_trees; b += kLanes, ++block) {
    const int32_t depth = block_depth_[block];
    int32_t idx[kLanes];
    if (b + kLanes <= num_trees) {
      for (size_t l = 0; l < kLanes; ++l) idx[l] = tree_root_[b + l];
      for (int32_t d = 0; d < depth; ++d) {
        for (size_t l = 0; l < kLanes; ++l) idx[l] = step(idx[l]);
      }
      // Trees are added in model order, as XGBoost does, so sums are equal.
      for (size_t l = 0; l < kLanes; ++l) margin[tree_group_[b + l]] += leaf_value_[idx[l]];
    } else {
      const size_t n = num_trees - b;
      for (size_t l = 0; l < n; ++l) idx[l] = tree_root_[b + l];
      for (int32_t d = 0; d < depth; ++d) {
        for (size_t l = 0; l < n; ++l) idx[l] = step(idx[l]);
      }
      for (size_t l = 0; l < n; ++l) margin[tree_group_[b + l]] += leaf_value_[idx[l]];
    }
  }
}

void TreeEnsemblePredictor::Predict(const float* row, float* out) const {
  PredictMargin(row, out);
  if (objective_ == Objective::kLogistic) {
    out[0] = Sigmoid(out[0]);
  } else if (objective_ == Objective::kSoftprob) {
    // XGBoost 1.7's common::Softmax: float exponentials, double sum.
    float wmax = out[0];
    for (size_t k = 1; k < num_outputs_; ++k) wmax = std::max(out[k], wmax);
    double wsum = 0.0;
    for (size_t k = 0; k < num_outputs_; ++k) {
      out[k] = std::exp(out[k] - wmax);
      wsum += out[k];
    }
    for (size_t k = 0; k < num_outputs_; ++k) out[k] /= static_cast<float>(wsum);
  }
}

}  // namespace mlpipe::models
