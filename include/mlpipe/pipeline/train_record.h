// Recording training in the store: `mlpipe train` inside a project (and the
// pipeline's train step) log one run per training with the options as params,
// every family's CV and test figures as metrics, the model folder's files as
// artifacts and the data version as its input; each search trial becomes a
// child run with its params and CV metrics; and the lineage gets an execution
// dataset (+ code version) → train → model files.
#pragma once

#include <string>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "mlpipe/store/tracking.h"

namespace mlpipe::pipeline {

struct TrainRecordInput {
  const eval::TrainOptions* options = nullptr;
  const eval::TrainResult* result = nullptr;
  std::string dataset;  // the data version trained on ("" when not versioned)
  int64_t dataset_version = 0;
  bool child_runs = true;  // one child run per search trial
  // The model bundle's bytes (bundle/build.h); when set, logged as the artifact
  // "model.mlpb" and a lineage output of the train execution.
  std::string bundle;
};

// Logs `input` into the run of `logger` (which the caller started before
// training, so that a failed training leaves a FAILED run) and ends it FINISHED.
// Metric and execution times come from the logger's Env.
Status RecordTrainRun(store::MetadataStore& meta, store::RunLogger& logger,
                      const TrainRecordInput& input);

}  // namespace mlpipe::pipeline
