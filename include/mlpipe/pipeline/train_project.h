// `mlpipe train` as one library call: read the data, version it and start a
// run (inside a project), search and evaluate (eval::Train), build the bundle
// of the best model, record the run (train_record.h) and write the requested
// files. The command line, the server and the C API call this, so a training
// is recorded the same way whoever starts it (docs/train.md).
#pragma once

#include <optional>
#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/store/project.h"

namespace mlpipe::pipeline {

struct TrainRequest {
  // What to train; options.data is the data file read.
  eval::TrainOptions options;
  // Files written when not empty: the best model's folder, its test-row
  // predictions (CSV) and its bundle (docs/bundle.md).
  std::string out_dir;
  std::string predictions_path;
  std::string bundle_path;
  // Binary bundles: positive when P(positive) > threshold.
  double threshold = 0.5;
  // Recording (with stores): the experiment of the run, the data set name the
  // file is versioned under (empty: DefaultDataName of the file), and the
  // command line recorded as the run's origin.
  std::string experiment = "train";
  std::string data_name;
  std::string command_line;
};

struct TrainOutcome {
  eval::TrainResult result;  // summary holds run_id and data_version when recorded
  std::string bundle;        // the bundle's bytes when bundle_path was given
  // When recorded: the run, the data version ("NAME@V") and the project folder.
  std::string run_id;
  std::string data_version;
  std::string project_root;
};

// Runs the training of `request`. With `stores`, the data file is versioned
// and a run started before training, so that a failure leaves a FAILED run
// rather than nothing; the run then gets everything RecordTrainRun records,
// and the bundle (when asked for) as its artifact model.mlpb. Without, nothing
// is recorded. Files are written last, each atomically, once all else succeeded.
Result<TrainOutcome> TrainAndRecord(core::Env* env, const TrainRequest& request,
                                    store::ProjectStores* stores,
                                    eval::TrainObserver* observer = nullptr);

// The stores a training records into: those of the project found from `cwd`
// (or named by `project_flag` / `store_flag`), opened; nullopt when there is
// no project and neither flag was given (a training outside any project is
// not recorded).
Result<std::optional<store::ProjectStores>> OpenTrackingStores(core::Env* env,
                                                               const std::string& cwd,
                                                               const std::string& project_flag,
                                                               const std::string& store_flag);

// The data set name a file is versioned under by default: its stem, with the
// characters a name may not hold replaced by '-' ("credit g.csv" -> "credit-g"),
// prefixed with "data" when it would not start with a letter or digit.
std::string DefaultDataName(const std::string& path);

}  // namespace mlpipe::pipeline
