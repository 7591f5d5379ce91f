// `mlpipe train`'s lifecycle (train_project.h): version, run, train, bundle,
// record, write.
#include "mlpipe/pipeline/train_project.h"

#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "mlpipe/bundle/build.h"
#include "mlpipe/core/output.h"
#include "mlpipe/pipeline/train_record.h"
#include "mlpipe/profile/data_summary.h"
#include "mlpipe/store/data_versions.h"
#include "mlpipe/store/tracking.h"
#include "mlpipe/table/read.h"

namespace mlpipe::pipeline {

std::string DefaultDataName(const std::string& path) {
  std::string stem = core::BaseName(path);
  if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '-';
  }
  if (stem.empty() || !std::isalnum(static_cast<unsigned char>(stem[0]))) stem = "data" + stem;
  return stem;
}

Result<std::optional<store::ProjectStores>> OpenTrackingStores(core::Env* env,
                                                               const std::string& cwd,
                                                               const std::string& project_flag,
                                                               const std::string& store_flag) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectLocation loc,
                          store::LocateProject(cwd, project_flag, store_flag));
  if (!loc.exists && project_flag.empty() && store_flag.empty()) {
    return std::optional<store::ProjectStores>();
  }
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, store::OpenProjectStores(env, loc));
  return std::optional<store::ProjectStores>(std::move(stores));
}

Result<TrainOutcome> TrainAndRecord(core::Env* env, const TrainRequest& request,
                                    store::ProjectStores* stores, eval::TrainObserver* observer) {
  const eval::TrainOptions& options = request.options;
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, options.data));
  TrainOutcome out;
  std::optional<store::RunLogger> run;
  TrainRecordInput record;
  if (stores != nullptr) {
    const std::string actor = store::CurrentActor();
    const std::string name =
        request.data_name.empty() ? DefaultDataName(options.data) : request.data_name;
    MLPIPE_ASSIGN_OR_RETURN(store::AddedData added,
                            store::AddDataFile(env, *stores->meta, *stores->objects,
                                               profile::SummariseData, options.data, name, actor));
    record.dataset = added.version.name;
    record.dataset_version = added.version.version;
    MLPIPE_ASSIGN_OR_RETURN(
        store::RunLogger logger,
        store::RunLogger::Start(
            stores->meta.get(), stores->objects.get(), request.experiment,
            store::CurrentOrigin(stores->location.root, request.command_line, options.seed),
            actor));
    run.emplace(std::move(logger));
    out.run_id = run->run_id();
    out.data_version = record.dataset + "@" + std::to_string(record.dataset_version);
    out.project_root = stores->location.root;
  }
  eval::TrainOptions train_options = options;
  train_options.describe_row = [env, &options](size_t row) {
    auto lines = table::RowLinesOfFile(env, options.data);  // only for a message
    if (lines.ok() && row < lines->size()) return fmt::format("{}:{}", options.data, (*lines)[row]);
    return fmt::format("{}: data row {}", options.data, row);
  };
  MLPIPE_ASSIGN_OR_RETURN(out.result, eval::Train(data, train_options, observer));
  if (!request.bundle_path.empty()) {
    bundle::BundleInfo info;
    info.threshold = request.threshold;
    info.created_by = "mlpipe " MLPIPE_VERSION;
    info.lineage = {{"data", options.data}, {"seed", options.seed}};
    if (run) {
      info.lineage["run_id"] = out.run_id;
      info.lineage["data_version"] = out.data_version;
    }
    MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::BuildBundle(out.result, data, info));
    MLPIPE_ASSIGN_OR_RETURN(out.bundle, bundle::EncodeBundle(b));
    record.bundle = out.bundle;
  }
  if (run) {
    record.options = &options;
    record.result = &out.result;
    MLPIPE_RETURN_IF_ERROR(RecordTrainRun(*stores->meta, *run, record));
    out.result.summary["run_id"] = out.run_id;
    out.result.summary["data_version"] = out.data_version;
  }
  if (!request.out_dir.empty()) {
    MLPIPE_RETURN_IF_ERROR(eval::WriteTrainOutput(env, request.out_dir, out.result));
  }
  if (!request.predictions_path.empty()) {
    MLPIPE_RETURN_IF_ERROR(eval::WritePredictions(env, request.predictions_path, out.result));
  }
  if (!request.bundle_path.empty()) {
    MLPIPE_RETURN_IF_ERROR(core::WriteOutput(env, request.bundle_path, out.bundle));
  }
  return out;
}

}  // namespace mlpipe::pipeline
