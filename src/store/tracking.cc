// RunLogger and the origin of a run (host, user, command, git state).
#include "mlpipe/store/tracking.h"

#include <git2.h>
#include <unistd.h>

#include <mutex>

#include "mlpipe/store/project.h"

#ifndef MLPIPE_VERSION
#define MLPIPE_VERSION "0.0.0"
#endif

namespace mlpipe::store {

GitState ReadGitState(const std::string& dir) {
  static std::once_flag init;
  std::call_once(init, [] { git_libgit2_init(); });
  GitState state;
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, dir.c_str(), 0, nullptr) != 0) return state;
  state.found = true;
  git_oid oid;
  if (git_reference_name_to_id(&oid, repo, "HEAD") == 0) {
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof(hex), &oid);
    state.commit = hex;
  }
  // The init function, not GIT_STATUS_OPTIONS_INIT: the macro leaves fields
  // to zero-initialisation, which clang's -Wmissing-field-initializers refuses.
  git_status_options opts;
  git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
  opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;  // untracked files are not included
  git_status_list* list = nullptr;
  if (git_status_list_new(&list, repo, &opts) == 0) {
    state.dirty = git_status_list_entrycount(list) > 0;
    git_status_list_free(list);
  }
  git_repository_free(repo);
  return state;
}

RunOrigin CurrentOrigin(const std::string& project_root, std::string_view command_line,
                        uint64_t seed) {
  RunOrigin o;
  o.seed = seed;
  o.mlpipe_version = MLPIPE_VERSION;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0) o.host = host;
  o.user = CurrentActor();
  o.command = std::string(command_line);
  GitState git = ReadGitState(project_root);
  o.git_commit = git.commit;
  o.git_dirty = git.dirty;
  return o;
}

Result<RunLogger> RunLogger::Start(MetadataStore* meta, ObjectStore* objects,
                                   const std::string& experiment, const RunOrigin& origin,
                                   const std::string& actor) {
  MLPIPE_ASSIGN_OR_RETURN(RunInfo info, meta->CreateRun(experiment, origin, actor));
  return RunLogger(meta, objects, std::move(info), actor);
}

RunLogger::RunLogger(RunLogger&& other) noexcept
    : meta_(other.meta_),
      objects_(other.objects_),
      info_(std::move(other.info_)),
      actor_(std::move(other.actor_)),
      ended_(other.ended_) {
  other.ended_ = true;
}

RunLogger::~RunLogger() {
  if (!ended_) (void)meta_->EndRun(info_.run_id, RunStatus::kFailed, actor_);
}

Status RunLogger::Params(const std::map<std::string, std::string>& params) {
  return meta_->LogParams(info_.run_id, params);
}

Status RunLogger::Metric(const std::string& key, double value, int64_t step) {
  return meta_->LogMetrics(info_.run_id, {{key, value, step, env()->NowMicros()}});
}

Status RunLogger::Metrics(const std::vector<store::Metric>& metrics) {
  return meta_->LogMetrics(info_.run_id, metrics);
}

Status RunLogger::Tags(const std::map<std::string, std::string>& tags) {
  return meta_->SetTags(info_.run_id, tags);
}

Result<RunArtifact> RunLogger::Artifact(const std::string& path, std::string_view bytes) {
  MLPIPE_ASSIGN_OR_RETURN(PutResult put, objects_->PutBytes(bytes));
  RunArtifact a{path, put.hash, put.size};
  MLPIPE_RETURN_IF_ERROR(meta_->LogArtifact(info_.run_id, a));
  return a;
}

Status RunLogger::Input(const std::string& dataset, int64_t version, DatasetRole role) {
  return meta_->LogInput(info_.run_id, {dataset, version, role});
}

Status RunLogger::End(RunStatus status) {
  MLPIPE_RETURN_IF_ERROR(meta_->EndRun(info_.run_id, status, actor_));
  ended_ = true;
  return Status::OK();
}

}  // namespace mlpipe::store
