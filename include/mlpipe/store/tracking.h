// The tracking API that training and the pipeline log through: a run's origin
// (host, user, command line, code version) gathered once, and RunLogger, which
// starts a run, logs params, metrics, tags, artifacts and dataset inputs, and
// ends it — FAILED if the logger is destroyed before End() (a crash or an
// early error return never leaves a run RUNNING by mistake).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::store {

struct GitState {
  bool found = false;  // `dir` is inside a git work tree
  std::string commit;  // HEAD, 40 hex characters; empty on an unborn branch
  bool dirty = false;  // tracked files differ from HEAD (untracked files ignored)
};

// Reads the state of the git work tree holding `dir` with libgit2.
GitState ReadGitState(const std::string& dir);

// Host, user, mlpipe version, the command line and the git state of `project_root`.
RunOrigin CurrentOrigin(const std::string& project_root, std::string_view command_line,
                        uint64_t seed);

class RunLogger {
 public:
  // Creates the run (status RUNNING) in `experiment`. Metric times come from
  // `objects`' Env.
  static Result<RunLogger> Start(MetadataStore* meta, ObjectStore* objects,
                                 const std::string& experiment, const RunOrigin& origin,
                                 const std::string& actor);
  RunLogger(RunLogger&& other) noexcept;
  RunLogger& operator=(RunLogger&&) = delete;
  RunLogger(const RunLogger&) = delete;
  ~RunLogger();

  const std::string& run_id() const { return info_.run_id; }
  const RunInfo& info() const { return info_; }
  const std::string& actor() const { return actor_; }
  // The clock of what the run logs: the object store's Env.
  core::Env* env() const { return objects_->env(); }

  Status Params(const std::map<std::string, std::string>& params);
  Status Metric(const std::string& key, double value, int64_t step = 0);
  Status Metrics(const std::vector<store::Metric>& metrics);
  Status Tags(const std::map<std::string, std::string>& tags);
  // Stores `bytes` in the object store, then records it as the run's `path`.
  Result<RunArtifact> Artifact(const std::string& path, std::string_view bytes);
  Status Input(const std::string& dataset, int64_t version, DatasetRole role);
  Status End(RunStatus status);

 private:
  RunLogger(MetadataStore* meta, ObjectStore* objects, RunInfo info, std::string actor)
      : meta_(meta), objects_(objects), info_(std::move(info)), actor_(std::move(actor)) {}

  MetadataStore* meta_;
  ObjectStore* objects_;
  RunInfo info_;
  std::string actor_;
  bool ended_ = false;
};

}  // namespace mlpipe::store
