#include "model_common.h"

#include <cmath>

#include "mlpipe/models/family_table.h"

namespace mlpipe::models {

Status CheckNoNan(const table::DenseMatrix& x, std::string_view who) {
  for (size_t r = 0; r < x.rows; ++r) {
    const float* row = x.row(r);
    for (size_t c = 0; c < x.cols; ++c) {
      if (std::isnan(row[c])) {
        std::string name = c < x.names.size() && !x.names[c].empty() ? x.names[c] : "";
        return InvalidArgumentError(std::string(who) + ": feature '" + name + "' (column " +
                                    std::to_string(c) + ") is missing (NaN) in row " +
                                    std::to_string(r) + "; linear models need imputed input");
      }
    }
  }
  return Status::OK();
}

Status CheckColumns(const table::DenseMatrix& x, const std::vector<std::string>& names,
                    std::string_view who) {
  if (x.cols != names.size()) {
    return InvalidArgumentError(std::string(who) + ": the model expects " +
                                std::to_string(names.size()) + " features, the input has " +
                                std::to_string(x.cols));
  }
  if (x.values.size() != x.rows * x.cols) {
    return InvalidArgumentError(std::string(who) + ": matrix holds " +
                                std::to_string(x.values.size()) + " values, not rows x cols");
  }
  return Status::OK();
}

namespace {

Status CheckDataset(std::string_view who, std::string_view part, const Dataset& d,
                    const FitOptions& options, bool allow_nan, size_t expected_cols) {
  const std::string where = std::string(who) + ": " + std::string(part);
  if (d.features == nullptr) return InvalidArgumentError(where + ": no features");
  const table::DenseMatrix& x = *d.features;
  if (x.rows == 0) return InvalidArgumentError(where + ": no rows");
  if (x.values.size() != x.rows * x.cols) {
    return InvalidArgumentError(where + ": matrix holds " + std::to_string(x.values.size()) +
                                " values, not rows x cols");
  }
  if (x.cols == 0 || (expected_cols != 0 && x.cols != expected_cols)) {
    return InvalidArgumentError(where + ": " + std::to_string(x.cols) + " features, expected " +
                                std::to_string(expected_cols));
  }
  if (d.labels.size() != x.rows) {
    return InvalidArgumentError(where + ": " + std::to_string(d.labels.size()) + " labels for " +
                                std::to_string(x.rows) + " rows");
  }
  if (!d.weights.empty() && d.weights.size() != x.rows) {
    return InvalidArgumentError(where + ": " + std::to_string(d.weights.size()) + " weights for " +
                                std::to_string(x.rows) + " rows");
  }
  for (size_t i = 0; i < d.weights.size(); ++i) {
    if (!(d.weights[i] > 0) || !std::isfinite(d.weights[i])) {
      return InvalidArgumentError(where + ": weight of row " + std::to_string(i) +
                                  " must be positive and finite");
    }
  }
  for (size_t i = 0; i < d.labels.size(); ++i) {
    float y = d.labels[i];
    if (!std::isfinite(y)) {
      return InvalidArgumentError(where + ": label of row " + std::to_string(i) +
                                  " is not a finite number");
    }
    if (options.task != Task::kRegression &&
        (y != std::floor(y) || y < 0 || y >= static_cast<float>(options.num_classes))) {
      return InvalidArgumentError(where + ": label of row " + std::to_string(i) + " (" +
                                  std::to_string(y) + ") is not a class index in 0.." +
                                  std::to_string(options.num_classes - 1));
    }
  }
  if (!allow_nan) MLPIPE_RETURN_IF_ERROR(CheckNoNan(x, where));
  return Status::OK();
}

}  // namespace

Result<ResolvedParams> PrepareFit(std::string_view family, const Dataset& train,
                                  const FitOptions& options, bool allow_nan) {
  MLPIPE_ASSIGN_OR_RETURN(const ModelFamily* f, FindModelFamily(family));
  if (!f->Supports(options.task)) {
    return InvalidArgumentError(std::string(family) + ": task '" +
                                std::string(TaskName(options.task)) + "' is not supported");
  }
  if (options.task == Task::kBinary && options.num_classes != 2) {
    return InvalidArgumentError(std::string(family) + ": binary task needs num_classes = 2");
  }
  if (options.task == Task::kMulticlass && options.num_classes < 3) {
    return InvalidArgumentError(std::string(family) +
                                ": multiclass task needs num_classes >= 3, found " +
                                std::to_string(options.num_classes));
  }
  if (options.nthread < 1) {
    return InvalidArgumentError(std::string(family) + ": nthread must be >= 1");
  }
  MLPIPE_RETURN_IF_ERROR(CheckDataset(family, "training data", train, options, allow_nan, 0));
  if (options.task != Task::kRegression) {
    std::vector<bool> seen(static_cast<size_t>(options.num_classes), false);
    for (float y : train.labels) seen[static_cast<size_t>(y)] = true;
    for (size_t k = 0; k < seen.size(); ++k) {
      if (!seen[k]) {
        return InvalidArgumentError(std::string(family) + ": training data: class " +
                                    std::to_string(k) + " has no rows");
      }
    }
  }
  if (options.validation != nullptr) {
    MLPIPE_RETURN_IF_ERROR(CheckDataset(family, "validation data", *options.validation, options,
                                        allow_nan, train.features->cols));
  }
  return ResolveParams(family, f->hyperparameters, options.params);
}

ModelInfo MakeInfo(std::string_view family, const Dataset& train, const FitOptions& options,
                   const ResolvedParams& params) {
  ModelInfo info;
  info.family = std::string(family);
  info.task = options.task;
  info.num_classes =
      options.task == Task::kRegression ? 0 : static_cast<size_t>(options.num_classes);
  const table::DenseMatrix& x = *train.features;
  info.feature_names = x.names;
  info.feature_names.resize(x.cols);
  for (size_t c = 0; c < x.cols; ++c) {
    if (info.feature_names[c].empty())
      info.feature_names[c] = std::string("f").append(std::to_string(c));
  }
  info.params = params.ToJson();
  return info;
}

std::string SaveEnvelope(const ModelInfo& info, const core::Json& model) {
  core::Json j = core::Json::object();
  j["name"] = info.family;
  j["format_version"] = kFormatVersion;
  j["task"] = std::string(TaskName(info.task));
  j["num_classes"] = info.num_classes;
  j["feature_names"] = info.feature_names;
  j["params"] = info.params;
  j["model"] = model;
  return j.dump();
}

Result<ModelInfo> ReadEnvelope(const core::Json& saved) {
  constexpr std::string_view kWhere = "model";
  ModelInfo info;
  MLPIPE_ASSIGN_OR_RETURN(info.family, core::GetField<std::string>(saved, "name", kWhere));
  MLPIPE_ASSIGN_OR_RETURN(int version, core::GetField<int>(saved, "format_version", kWhere));
  if (version > kFormatVersion) {
    return FailedPreconditionError("model: format_version " + std::to_string(version) +
                                   " is newer than this build reads (" +
                                   std::to_string(kFormatVersion) + ")");
  }
  MLPIPE_ASSIGN_OR_RETURN(std::string task, core::GetField<std::string>(saved, "task", kWhere));
  MLPIPE_ASSIGN_OR_RETURN(info.task, ParseTask(task));
  MLPIPE_ASSIGN_OR_RETURN(info.num_classes, core::GetField<size_t>(saved, "num_classes", kWhere));
  MLPIPE_ASSIGN_OR_RETURN(info.feature_names,
                          core::GetField<std::vector<std::string>>(saved, "feature_names", kWhere));
  if (info.feature_names.empty()) return DataLossError("model: no feature_names");
  if ((info.task == Task::kBinary && info.num_classes != 2) ||
      (info.task == Task::kMulticlass && info.num_classes < 3) ||
      (info.task == Task::kRegression && info.num_classes != 0)) {
    return DataLossError("model: num_classes " + std::to_string(info.num_classes) +
                         " does not fit task " + task);
  }
  info.params = saved.contains("params") ? saved["params"] : core::Json::object();
  if (!saved.contains("model")) return DataLossError("model: missing \"model\"");
  return info;
}

void FillArgmax(Predictions& p) {
  p.labels.assign(p.rows, 0);
  for (size_t r = 0; r < p.rows; ++r) {
    const double* pr = p.probabilities.data() + r * p.num_classes;
    size_t best = 0;
    for (size_t k = 1; k < p.num_classes; ++k) {
      if (pr[k] > pr[best]) best = k;
    }
    p.labels[r] = static_cast<int32_t>(best);
  }
}

Status Model::PredictRow(const float* features, double* out) const {
  const size_t n = feature_names().size();
  table::DenseMatrix x(1, n);
  x.names = feature_names();
  std::copy(features, features + n, x.values.begin());
  MLPIPE_ASSIGN_OR_RETURN(Predictions p, Predict(x));
  if (task() == Task::kRegression) {
    out[0] = p.values[0];
  } else {
    std::copy(p.probabilities.begin(), p.probabilities.end(), out);
  }
  return Status::OK();
}

}  // namespace mlpipe::models
