#include "mlpipe/features/transform.h"

#include <algorithm>

#include <fmt/format.h>

#include "transforms.h"

namespace mlpipe::features {

Status Transform::FromJson(const core::Json& spec, std::string_view context) {
  const std::string ctx(context);
  if (!spec.is_object()) return InvalidArgumentError(ctx + ": expected an object");
  if (auto it = spec.find("name"); it != spec.end() && (!it->is_string() || *it != name())) {
    return InvalidArgumentError(
        fmt::format("{}.name: expected \"{}\", found {}", ctx, name(), it->dump()));
  }
  MLPIPE_ASSIGN_OR_RETURN(int version,
                          core::GetFieldOr<int>(spec, "format_version", ctx, kFormatVersion));
  if (version != kFormatVersion) {
    return InvalidArgumentError(
        fmt::format("{}.format_version: {} is not supported (this build reads {})", ctx, version,
                    kFormatVersion));
  }
  const std::vector<std::string_view> keys = ParamKeys();
  for (const auto& [key, value] : spec.items()) {
    if (key == "name" || key == "format_version" || key == "state") continue;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      return InvalidArgumentError(fmt::format("{}: unknown key '{}' for transform '{}' (valid: {})",
                                              ctx, key, name(), fmt::join(keys, ", ")));
    }
  }
  const std::string where = fmt::format("{} ({})", ctx, name());
  MLPIPE_RETURN_IF_ERROR(LoadParams(spec, where));
  fitted_ = false;
  if (auto it = spec.find("state"); it != spec.end()) {
    if (!it->is_object()) return InvalidArgumentError(where + ".state: expected an object");
    MLPIPE_RETURN_IF_ERROR(LoadState(*it, where + ".state"));
    fitted_ = true;
  }
  return Status::OK();
}

core::Json Transform::ToJson() const {
  core::Json j = core::Json::object();
  j["name"] = std::string(name());
  j["format_version"] = kFormatVersion;
  const core::Json params = ParamsJson();
  if (params.is_object()) j.update(params);
  if (fitted_) j["state"] = StateJson();
  return j;
}

std::vector<std::string> Transform::InputColumns() const {
  std::vector<std::string> out;
  auto take = [&out](const core::Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return false;
    for (const auto& v : j[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return true;
  };
  if (fitted_) {
    const core::Json state = StateJson();
    if (take(state, "columns") || take(state, "inputs")) return out;
  }
  take(ParamsJson(), "columns");
  return out;
}

Result<std::unique_ptr<RowKernel>> Transform::CompileRow(RowCompiler&) const {
  return FailedPreconditionError(
      fmt::format("{}: has no row kernel (the pipeline is scored by the columnar path)", name()));
}

Status Transform::FitApply(Frame& frame, const FitContext& ctx) {
  MLPIPE_RETURN_IF_ERROR(DoFitApply(frame, ctx));
  fitted_ = true;
  return Status::OK();
}

Status Transform::DoFitApply(Frame& frame, const FitContext& ctx) {
  MLPIPE_RETURN_IF_ERROR(Fit(frame, ctx));
  return DoApply(frame);
}

Status Transform::Apply(Frame& frame) const {
  if (!fitted_) {
    return FailedPreconditionError(
        fmt::format("{}: the transform is not fitted (fit it on training data first)", name()));
  }
  return DoApply(frame);
}

const std::vector<TransformInfo>& TransformTable() {
  using namespace internal;  // NOLINT(google-build-using-namespace)
  static const std::vector<TransformInfo> kTable = {
      {"impute",
       "Fill missing values: strategy mean | median | most_frequent | constant (fill_value); "
       "add_indicator adds a bool '<col>_missing' for columns missing in training",
       &NewImpute},
      {"scale",
       "Scale numeric columns: method standard (population std) | minmax (feature_range) | "
       "robust (median and quantile_range); a zero spread scales by 1",
       &NewScale},
      {"clip",
       "Winsorise numeric columns at bounds fitted on training: method quantile (lower, upper) "
       "| iqr (k: [Q1 - k IQR, Q3 + k IQR])",
       &NewClip},
      {"log1p", "log(1 + x) of numeric columns; a value below -1 is an error", &NewLog1p},
      {"bin",
       "Discretise numeric columns into n_bins ordinal bins: method quantile | uniform "
       "(KBinsDiscretizer encode=ordinal)",
       &NewBin},
      {"one_hot",
       "One bool column per category '<col>=<value>'; max_categories / min_frequency pool rare "
       "ones into '<col>=(other)'; handle_unknown error | ignore (all zeros) | other",
       &NewOneHot},
      {"dummy", "one_hot without the first category's column (drop-first dummy coding)", &NewDummy},
      {"ordinal",
       "Replace categories by their index in sorted order (float64); handle_unknown error | "
       "value (unknown_value)",
       &NewOrdinal},
      {"hash",
       "Hashing encoder: FNV-1a of '<col>=<value>' into n_buckets float64 count columns "
       "'<prefix><i>' (alternate_sign optional)",
       &NewHash},
      {"target_encode",
       "Smoothed target mean per category, (n_c mean_c + smoothing prior) / (n_c + smoothing); "
       "training rows get out-of-fold encodings (n_folds, seeded)",
       &NewTargetEncode},
      {"expression",
       "A derived float64 column 'output' from a muparser expression over numeric columns, e.g. "
       "credit_amount / duration",
       &NewExpression},
      {"select", "Keep only the listed columns, in that order", &NewSelect},
      {"drop", "Drop the listed columns", &NewDrop},
      {"variance_threshold",
       "Drop numeric columns whose training variance is <= threshold (VarianceThreshold)",
       &NewVarianceThreshold},
      {"correlation_filter",
       "Drop a numeric column whose |Pearson r| with an earlier kept column exceeds threshold",
       &NewCorrelationFilter},
      {"pca",
       "Replace numeric columns by n_components principal components '<prefix><i>' (centred, "
       "sign fixed so the largest loading is positive)",
       &NewPca},
  };
  return kTable;
}

Result<std::unique_ptr<Transform>> CreateTransform(std::string_view name) {
  std::vector<std::string_view> names;
  for (const auto& info : TransformTable()) {
    if (info.name == name) return info.factory();
    names.push_back(info.name);
  }
  return InvalidArgumentError(
      fmt::format("unknown transform '{}' (valid: {})", name, fmt::join(names, ", ")));
}

Result<std::unique_ptr<Transform>> TransformFromJson(const core::Json& spec,
                                                     std::string_view context) {
  const std::string ctx(context);
  MLPIPE_ASSIGN_OR_RETURN(std::string name, core::GetField<std::string>(spec, "name", ctx));
  auto created = CreateTransform(name);
  if (!created.ok()) return created.status().WithContext(ctx);
  std::unique_ptr<Transform> t = std::move(created).value();
  MLPIPE_RETURN_IF_ERROR(t->FromJson(spec, ctx));
  return t;
}

}  // namespace mlpipe::features
