// BuildBundle: eval::TrainResult -> ModelBundle (build.h).
#include "mlpipe/bundle/build.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/stats/histogram.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::bundle {

Status BundleInfo::Validate() const {
  if (!(threshold >= 0 && threshold < 1)) {
    return InvalidArgumentError(fmt::format("threshold: {} is outside [0, 1)", threshold));
  }
  if (!lineage.is_object()) return InvalidArgumentError("lineage: expected an object");
  return Status::OK();
}

core::Json ReferenceStatistics(const table::Table& data) {
  core::Json columns = core::Json::object();
  for (const table::Column& c : data.columns()) {
    core::Json j = {
        {"type", table::DataTypeName(c.type())}, {"count", c.size()}, {"missing", c.null_count()}};
    if (table::IsNumeric(c.type())) {
      std::vector<double> v;
      for (size_t i = 0; i < c.size(); ++i) {
        if (c.IsValid(i) && std::isfinite(c.NumericAt(i))) v.push_back(c.NumericAt(i));
      }
      j["finite"] = v.size();
      if (!v.empty()) {
        double sum = 0;
        for (double x : v) sum += x;
        const double mean = sum / v.size();
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        j["mean"] = mean;
        j["std"] = v.size() > 1 ? std::sqrt(ss / (v.size() - 1)) : 0.0;
        const std::vector<double> qs = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};
        j["quantile_levels"] = qs;
        j["quantiles"] = stats::Quantiles(v, qs);
        j["min"] = *std::min_element(v.begin(), v.end());
        j["max"] = *std::max_element(v.begin(), v.end());
        stats::Histogram h = stats::EqualWidthHistogram(v, 10);
        j["histogram"] = {{"edges", h.edges}, {"counts", h.counts}};
      }
    } else {
      std::map<std::string, uint64_t> counts;
      for (size_t i = 0; i < c.size(); ++i) {
        if (c.IsValid(i)) ++counts[std::string(c.TextAt(i))];
      }
      j["categories"] = counts;
    }
    columns[c.name()] = std::move(j);
  }
  return {{"name", "reference_statistics"}, {"format_version", 1}, {"columns", columns}};
}

Result<ModelBundle> BuildBundle(const eval::TrainResult& result, const table::Table& data,
                                const BundleInfo& info) {
  MLPIPE_RETURN_IF_ERROR(info.Validate());
  if (result.leaderboard.empty()) return InvalidArgumentError("training has no model");
  const eval::TrainEntry& best = result.best();
  const eval::Target& target = result.target;
  ModelBundle b;
  b.created_by = info.created_by;
  b.created_us = info.created_us;
  b.task = target.task;
  b.target = target.name;
  b.family = best.family;
  b.classes = target.classes;
  if (target.task == models::Task::kBinary) b.positive = target.classes.at(1);
  b.threshold = target.task == models::Task::kBinary ? info.threshold : 0.5;

  std::vector<std::string> inputs;
  for (const auto& c : best.fitted.pipeline.input_columns()) inputs.push_back(c.name);
  MLPIPE_ASSIGN_OR_RETURN(table::Table input_table, data.Select(inputs));
  const table::Table train = input_table.Take(result.train_rows);
  MLPIPE_ASSIGN_OR_RETURN(b.schema, profile::InferSchema(train));
  b.schema.source = result.summary.value("data", std::string());
  b.features = best.fitted.pipeline.ToJson();
  MLPIPE_ASSIGN_OR_RETURN(b.model, best.fitted.model->Save());
  b.reference = ReferenceStatistics(train);

  // Golden rows: the first test rows with the training-time predictions.
  const size_t n = std::min(info.golden_rows, result.test_rows.size());
  std::vector<size_t> rows(result.test_rows.begin(), result.test_rows.begin() + n);
  const models::Predictions& pred = best.test_predictions;
  core::Json expected = core::Json::array();
  for (size_t i = 0; i < n; ++i) {
    if (target.task == models::Task::kRegression) {
      expected.push_back({{"prediction", pred.values[i]}});
      continue;
    }
    std::vector<double> probs(pred.probabilities.begin() + i * pred.num_classes,
                              pred.probabilities.begin() + (i + 1) * pred.num_classes);
    int32_t label = pred.labels[i];
    if (target.task == models::Task::kBinary) label = probs[1] > b.threshold ? 1 : 0;
    expected.push_back({{"predicted", target.classes[label]}, {"probabilities", probs}});
  }
  b.golden = {{"columns", inputs},
              {"source_rows", rows},
              {"rows", TableToJsonRows(input_table.Take(rows))},
              {"expected", expected}};
  // Wall-clock fit times differ from run to run; a bundle must not (the same
  // spec, data and binary give the same bytes).
  b.metrics = result.summary;
  auto strip_times = [](core::Json& entry) {
    entry.erase("fit_seconds");
    entry.erase("search_fit_seconds");
  };
  if (b.metrics.contains("best")) strip_times(b.metrics["best"]);
  if (b.metrics.contains("leaderboard")) {
    for (auto& e : b.metrics["leaderboard"]) strip_times(e);
  }
  b.lineage = info.lineage;

  // The bundle must reproduce its own golden rows once reloaded from bytes.
  MLPIPE_ASSIGN_OR_RETURN(std::string bytes, EncodeBundle(b));
  MLPIPE_ASSIGN_OR_RETURN(ModelBundle reread, DecodeBundle(bytes, "new bundle"));
  MLPIPE_ASSIGN_OR_RETURN(auto predictor, Predictor::Create(std::move(reread)));
  MLPIPE_ASSIGN_OR_RETURN(GoldenReport report, predictor->VerifyGolden());
  if (!report.ok()) {
    return InternalError("the new bundle does not reproduce its golden rows: " +
                         report.first_problem);
  }
  return b;
}

}  // namespace mlpipe::bundle
