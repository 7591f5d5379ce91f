#include "mlpipe/features/default_pipeline.h"

#include <fmt/format.h>

#include "column_util.h"

namespace mlpipe::features {
namespace {

using table::Column;
using table::DataType;

// True when target_encode can use `target`: numeric, or text with two classes.
bool EncodableTarget(const Column& target) {
  if (target.null_count() > 0) return false;
  if (table::IsNumeric(target.type())) return true;
  return internal::CountValues(target).size() == 2;
}

}  // namespace

Status DefaultPipelineOptions::Validate() const {
  if (max_one_hot < 2) return InvalidArgumentError("max_one_hot: expected >= 2");
  if (n_hash_buckets < 1) return InvalidArgumentError("n_hash_buckets: expected >= 1");
  if (!(target_smoothing >= 0)) return InvalidArgumentError("target_smoothing: expected >= 0");
  return Status::OK();
}

Result<FeaturePipeline> InferDefaultPipeline(const table::Table& train, const Column* target,
                                             const DefaultPipelineOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate().WithContext("default pipeline options"));
  const bool use_target = target != nullptr && EncodableTarget(*target);
  std::vector<std::string> impute_num, impute_bool, impute_text, one_hot, high_card, ids, scale;
  for (const auto& c : train.columns()) {
    if (target != nullptr && c.name() == target->name()) continue;
    const size_t present = c.size() - c.null_count();
    if (present == 0) {
      ids.push_back(c.name());  // nothing to learn from an empty column
      continue;
    }
    // A column with no missing value here may still have some in the rows
    // scored later (a test part, a CV fold, new data): impute_all covers them.
    const bool impute = c.null_count() > 0 || options.impute_all;
    if (c.type() == DataType::kBool) {
      if (impute) impute_bool.push_back(c.name());
      continue;
    }
    if (table::IsNumeric(c.type())) {
      if (impute) impute_num.push_back(c.name());
      if (options.scale) scale.push_back(c.name());
      continue;
    }
    const size_t distinct = internal::CountValues(c).size();
    if (c.type() == DataType::kString && distinct == present && present > options.max_one_hot) {
      ids.push_back(c.name());  // every value distinct: an identifier or free text
      continue;
    }
    if (c.null_count() > 0) impute_text.push_back(c.name());
    if (distinct <= options.max_one_hot) {
      one_hot.push_back(c.name());
    } else {
      high_card.push_back(c.name());
      if (use_target && options.scale) scale.push_back(c.name());
    }
  }
  core::Json steps = core::Json::array();
  if (!ids.empty()) steps.push_back({{"name", "drop"}, {"columns", ids}});
  // fill_value: the fill when a fold's training rows hold no present value.
  if (!impute_num.empty()) {
    steps.push_back({{"name", "impute"},
                     {"columns", impute_num},
                     {"strategy", "median"},
                     {"fill_value", 0.0},
                     {"add_indicator", true}});
  }
  if (!impute_bool.empty()) {
    steps.push_back({{"name", "impute"},
                     {"columns", impute_bool},
                     {"strategy", "most_frequent"},
                     {"fill_value", 0.0},
                     {"add_indicator", true}});
  }
  if (!impute_text.empty()) {
    steps.push_back({{"name", "impute"},
                     {"columns", impute_text},
                     {"strategy", "most_frequent"},
                     {"fill_value", "missing"},
                     {"add_indicator", true}});
  }
  if (!one_hot.empty()) {
    steps.push_back({{"name", "one_hot"},
                     {"columns", one_hot},
                     {"min_frequency", static_cast<double>(options.min_frequency)},
                     {"handle_unknown", "other"}});
  }
  if (!high_card.empty()) {
    if (use_target) {
      steps.push_back({{"name", "target_encode"},
                       {"columns", high_card},
                       {"smoothing", options.target_smoothing}});
    } else {
      steps.push_back(
          {{"name", "hash"}, {"columns", high_card}, {"n_buckets", options.n_hash_buckets}});
    }
  }
  if (!scale.empty()) {
    steps.push_back({{"name", "scale"}, {"columns", scale}, {"method", "standard"}});
  }
  core::Json spec = {{"name", "feature_pipeline"},
                     {"format_version", FeaturePipeline::kFormatVersion},
                     {"seed", options.seed},
                     {"transforms", steps}};
  return FeaturePipeline::FromJson(spec);
}

}  // namespace mlpipe::features
