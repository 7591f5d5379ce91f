// tree: one shallow decision tree for interpretable models, grown by XGBoost
// (one boosting round, learning rate 1, no sampling). A multiclass model has
// one tree per class (XGBoost's softprob grows one per class per round).
#include "families.h"
#include "xgb_model.h"
#include "xgb_params.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "tree";

Result<XgbTrainPlan> Plan(const ResolvedParams& p) {
  XgbTrainPlan plan;
  plan.rounds = 1;
  MLPIPE_RETURN_IF_ERROR(AddXgbParams(p, {{"max_depth", "max_depth"}}, &plan));
  plan.params.emplace_back("eta", "1");
  MLPIPE_RETURN_IF_ERROR(AddXgbParams(
      p, {{"min_child_weight", "min_child_weight"}, {"reg_lambda", "reg_lambda"}}, &plan));
  return plan;
}

}  // namespace

ModelFamily TreeFamily() {
  return {
      .name = std::string(kName),
      .description = "a single shallow decision tree (XGBoost, one round); readable whole",
      .hyperparameters =
          {
              MaxDepthSpec("maximum depth of the tree", 4, 8, 2, 6),
              MinChildWeightSpec(20),
              RegLambdaSpec(1, 10),
          },
      .interpretable = true,
      .tasks = {Task::kBinary, Task::kMulticlass, Task::kRegression},
      .factory = [] { return NewXgbEstimator(kName, Plan); },
  };
}

}  // namespace mlpipe::models
