// The model families: ONE explicit table, one entry per family. `--models`
// lookups, search spaces, `--help` listings and the round-trip tests all read
// it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/models/hyperparams.h"

namespace mlpipe::models {

struct ModelFamily {
  std::string name;         // "gbdt"
  std::string description;  // one line for --help
  std::vector<HyperParamSpec> hyperparameters;
  bool interpretable = false;  // a person can read the fitted model whole
  std::vector<Task> tasks;     // the tasks it supports
  std::function<std::unique_ptr<Estimator>()> factory;

  bool Supports(Task task) const;
};

// Every family, in a stable order: logreg, linear, ridge, gbdt, rf, tree.
const std::vector<ModelFamily>& ModelFamilies();

// NotFound listing the valid names when `name` is unknown.
Result<const ModelFamily*> FindModelFamily(std::string_view name);

// Looks the family up and fits. Errors name the family, task, hyperparameter
// or feature at fault.
Result<std::unique_ptr<Model>> FitModel(std::string_view family, const Dataset& train,
                                        const FitOptions& options);

// Rebuilds a model from Model::Save bytes; the "name" field picks the family.
// Errors: InvalidArgument for malformed JSON or an unknown family, DataLoss
// when the embedded model is inconsistent, FailedPrecondition for a newer
// format_version.
Result<std::unique_ptr<Model>> LoadModel(std::string_view bytes);

}  // namespace mlpipe::models
