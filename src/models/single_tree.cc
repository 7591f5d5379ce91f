// tree: one shallow decision tree for interpretable models, grown by XGBoost
// (one boosting round, learning rate 1, no sampling). A multiclass model has
// one tree per class (XGBoost's softprob grows one per class per round).
#include "families.h"
#include "xgb_model.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "tree";

XgbTrainPlan Plan(const ResolvedParams& p) {
  XgbTrainPlan plan;
  plan.rounds = 1;
  plan.params = {
      {"max_depth", std::to_string(p.Int("max_depth"))},
      {"eta", "1"},
      {"min_child_weight", XgbNumber(p.Float("min_child_weight"))},
      {"reg_lambda", XgbNumber(p.Float("reg_lambda"))},
  };
  return plan;
}

}  // namespace

ModelFamily TreeFamily() {
  using T = ParamType;
  return {
      .name = std::string(kName),
      .description = "a single shallow decision tree (XGBoost, one round); readable whole",
      .hyperparameters =
          {
              {"max_depth", T::kInt, "maximum depth of the tree", 4, 1, 8, false, {}, "", 2, 6},
              {"min_child_weight",
               T::kFloat,
               "minimum hessian weight in a leaf",
               1,
               0,
               100,
               false,
               {},
               "",
               0.5,
               20},
              {"reg_lambda",
               T::kFloat,
               "L2 penalty on leaf weights",
               1,
               0,
               100,
               false,
               {},
               "",
               0,
               10},
          },
      .interpretable = true,
      .tasks = {Task::kBinary, Task::kMulticlass, Task::kRegression},
      .factory = [] { return NewXgbEstimator(kName, Plan); },
  };
}

}  // namespace mlpipe::models
