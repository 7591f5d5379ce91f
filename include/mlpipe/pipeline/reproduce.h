// `mlpipe reproduce RUN_ID`: re-runs a recorded pipeline run from what it
// recorded — the effective spec (artifact mlpipe.yaml), the data version it
// ingested, its seed (in the spec) and its protected-column overrides (audit
// log) — with no cache, up to the evaluate step and without registering
// anything, then compares every output file of every step with the recorded
// one. The verdict holds when the new model bundle is byte-identical.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/pipeline/run.h"
#include "mlpipe/store/project.h"

namespace mlpipe::pipeline {

struct FileComparison {
  std::string step, file;
  std::string recorded, reproduced;  // object hashes ("" when absent on that side)
  bool same() const { return recorded == reproduced; }
};

struct ReproduceReport {
  std::string run_id;      // the recorded run
  std::string new_run_id;  // the re-run (recorded too, tagged reproduces=RUN_ID)
  std::string data_version;
  // Code: the recorded commit and mlpipe version, and today's; a difference
  // explains a mismatch but does not stop the check.
  std::string recorded_commit, current_commit, recorded_version, current_version;
  bool current_dirty = false;
  std::vector<FileComparison> files;  // every step's files, in step order
  bool bundle_identical = false;
};

// NotFound for an unknown run; FailedPrecondition for a run that recorded no
// spec, data version or bundle (not a pipeline run that reached train).
// `options` supplies actor, command line and observer; the rest is set here.
Result<ReproduceReport> Reproduce(core::Env* env, store::ProjectStores& stores,
                                  const std::string& run_id, RunOptions options);

}  // namespace mlpipe::pipeline
