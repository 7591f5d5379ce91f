// store_tool: a small driver of the store for the reliability tests
// (store_concurrency_test.py, store_kill_test.py). Not installed, not a user
// command: it exists so that tests can run several store writers as separate
// processes and kill them at random moments.
//
//   store_tool create-run URI EXPERIMENT
//       creates a run and prints its id.
//   store_tool log-metrics URI RUN_ID N BATCH TAG
//       logs N metric points to RUN_ID in batches of BATCH, keys
//       "TAG.k<i % 10>" with step i; prints "committed K" (points so far)
//       after every committed batch and "done N" at the end.
//   store_tool writer PROJECT_DIR SEED [ITERATIONS]
//       a loop (endless without ITERATIONS) of realistic writes into the
//       project's stores. After each unit commits it prints one line, flushed
//       before the next write starts, so a parent that kills the writer knows
//       what must have survived:
//         committed data NAME VERSION HASH
//         committed run RUN_ID ARTIFACT_HASH METRIC_POINTS
//         committed model MODEL VERSION BUNDLE_HASH
//         committed alias MODEL ALIAS VERSION
//         committed audit SEQ
//
// Exit status: 0 done, 2 bad usage, 3 a store error (printed to stderr).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/profile/data_summary.h"
#include "mlpipe/store/data_versions.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "mlpipe/store/project.h"
#include "mlpipe/store/tracking.h"

namespace mlpipe::store {
namespace {

// Prints a line and flushes it into the pipe: once this returns the parent
// can read it even if the process is killed right after.
template <typename... Args>
void Report(const char* fmt, Args... args) {
  std::printf(fmt, args...);
  std::fflush(stdout);
}

Status CreateRunCommand(const std::string& uri, const std::string& experiment) {
  MLPIPE_ASSIGN_OR_RETURN(auto meta, OpenMetadataStore(uri));
  RunOrigin origin;
  origin.name = "store_tool";
  MLPIPE_ASSIGN_OR_RETURN(RunInfo info, meta->CreateRun(experiment, origin, "store_tool"));
  Report("%s\n", info.run_id.c_str());
  return Status::OK();
}

Status LogMetricsCommand(const std::string& uri, const std::string& run_id, int64_t n,
                         int64_t batch, const std::string& tag) {
  if (n < 0 || batch <= 0) return InvalidArgumentError("N must be >= 0 and BATCH > 0");
  MLPIPE_ASSIGN_OR_RETURN(auto meta, OpenMetadataStore(uri));
  std::vector<Metric> points;
  int64_t committed = 0;
  for (int64_t i = 0; i < n; ++i) {
    std::string key = tag;
    key.append(".k").append(std::to_string(i % 10));
    points.push_back({key, static_cast<double>(i) * 0.5, i, 0});
    if (static_cast<int64_t>(points.size()) == batch || i + 1 == n) {
      MLPIPE_RETURN_IF_ERROR(meta->LogMetrics(run_id, points));
      committed += static_cast<int64_t>(points.size());
      points.clear();
      Report("committed %lld\n", static_cast<long long>(committed));
    }
  }
  Report("done %lld\n", static_cast<long long>(committed));
  return Status::OK();
}

// A small CSV whose content differs with `seed`, so every data add stores a
// new object and records a new version.
std::string GenerateCsv(std::mt19937_64& rng, int rows) {
  std::string csv = "id,amount,grade,label\n";
  std::uniform_real_distribution<double> amount(0, 1000);
  const char* grades[] = {"a", "b", "c"};
  for (int r = 0; r < rows; ++r) {
    csv.append(std::to_string(rng() % 100000))
        .append(",")
        .append(std::to_string(amount(rng)))
        .append(",")
        .append(grades[rng() % 3])
        .append(",")
        .append(std::to_string(rng() % 2))
        .append("\n");
  }
  return csv;
}

Status WriterCommand(const std::string& project_dir, uint64_t seed, int64_t iterations) {
  core::Env* env = core::Env::Default();
  MLPIPE_ASSIGN_OR_RETURN(ProjectLocation loc, LocateProject(project_dir, project_dir, ""));
  MLPIPE_ASSIGN_OR_RETURN(ProjectStores stores, OpenProjectStores(env, loc));
  MetadataStore& meta = *stores.meta;
  ObjectStore& objects = *stores.objects;
  const std::string actor = "store_tool";
  const std::string scratch = core::JoinPath(project_dir, "scratch");
  MLPIPE_RETURN_IF_ERROR(env->CreateDirs(scratch));
  std::mt19937_64 rng(seed);

  for (int64_t it = 0; iterations < 0 || it < iterations; ++it) {
    // 1. A data version of a freshly generated file.
    const std::string name = "ds" + std::to_string(rng() % 3);
    const std::string csv_path =
        core::JoinPath(scratch, "in." + std::to_string(seed) + "." + std::to_string(it) + ".csv");
    MLPIPE_RETURN_IF_ERROR(
        env->WriteFileAtomic(csv_path, GenerateCsv(rng, 20 + static_cast<int>(rng() % 200))));
    MLPIPE_ASSIGN_OR_RETURN(AddedData added, AddDataFile(env, meta, objects, profile::SummariseData,
                                                         csv_path, name, actor));
    (void)env->DeleteFile(csv_path);
    Report("committed data %s %lld %s\n", added.version.name.c_str(),
           static_cast<long long>(added.version.version), added.version.hash.c_str());

    // 2. A run with params, a batch of metrics, an artifact and its input.
    RunOrigin origin;
    origin.name = "writer-" + std::to_string(it);
    origin.seed = seed;
    MLPIPE_ASSIGN_OR_RETURN(RunLogger run,
                            RunLogger::Start(&meta, &objects, "writer", origin, actor));
    MLPIPE_RETURN_IF_ERROR(
        run.Params({{"model", rng() % 2 ? "gbdt" : "logreg"}, {"iter", std::to_string(it)}}));
    std::vector<Metric> metrics;
    for (int step = 0; step < 20; ++step) {
      metrics.push_back({"loss", 1.0 / (1 + step), step, 0});
    }
    metrics.push_back({"roc_auc", 0.5 + static_cast<double>(rng() % 500) / 1000.0, 0, 0});
    MLPIPE_RETURN_IF_ERROR(run.Metrics(metrics));
    MLPIPE_RETURN_IF_ERROR(
        run.Input(added.version.name, added.version.version, DatasetRole::kTrain));
    // Artifacts of varying size (a few up to ~1 MB) so kills land mid-write.
    std::string artifact(static_cast<size_t>(rng() % (1 << 20)) + 16, '\0');
    for (char& c : artifact) c = static_cast<char>('a' + rng() % 26);
    MLPIPE_ASSIGN_OR_RETURN(RunArtifact art, run.Artifact("model.txt", artifact));
    MLPIPE_RETURN_IF_ERROR(run.End(RunStatus::kFinished));
    Report("committed run %s %s %zu\n", run.run_id().c_str(), art.object_hash.c_str(),
           metrics.size());

    // 3. A registered version (bundle stored first, then recorded) and an alias move.
    std::string bundle = "bundle of " + run.run_id() + " " + std::to_string(rng());
    MLPIPE_ASSIGN_OR_RETURN(PutResult put, objects.PutBytes(bundle));
    ModelVersion mv;
    mv.model = "m" + std::to_string(rng() % 2);
    mv.bundle_hash = put.hash;
    mv.run_id = run.run_id();
    MLPIPE_ASSIGN_OR_RETURN(ModelVersion created, meta.CreateModelVersion(mv, actor));
    Report("committed model %s %lld %s\n", created.model.c_str(),
           static_cast<long long>(created.version), created.bundle_hash.c_str());
    const std::string alias = rng() % 2 ? "champion" : "challenger";
    MLPIPE_RETURN_IF_ERROR(meta.MoveAlias(created.model, alias, created.version, actor, "writer"));
    Report("committed alias %s %s %lld\n", created.model.c_str(), alias.c_str(),
           static_cast<long long>(created.version));

    // 4. A plain audit entry.
    MLPIPE_ASSIGN_OR_RETURN(AuditEntry entry,
                            meta.AppendAudit(actor, "writer.tick", origin.name, "{}"));
    Report("committed audit %lld\n", static_cast<long long>(entry.seq));
  }
  return Status::OK();
}

int Usage() {
  std::fprintf(stderr,
               "usage: store_tool create-run URI EXPERIMENT\n"
               "       store_tool log-metrics URI RUN_ID N BATCH TAG\n"
               "       store_tool writer PROJECT_DIR SEED [ITERATIONS]\n");
  return 2;
}

int Main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string cmd = argv[1];
  Status s;
  if (cmd == "create-run" && argc == 4) {
    s = CreateRunCommand(argv[2], argv[3]);
  } else if (cmd == "log-metrics" && argc == 7) {
    s = LogMetricsCommand(argv[2], argv[3], std::atoll(argv[4]), std::atoll(argv[5]), argv[6]);
  } else if (cmd == "writer" && (argc == 4 || argc == 5)) {
    s = WriterCommand(argv[2], std::strtoull(argv[3], nullptr, 10),
                      argc == 5 ? std::atoll(argv[4]) : -1);
  } else {
    return Usage();
  }
  if (!s.ok()) {
    std::fprintf(stderr, "store_tool %s: %s\n", cmd.c_str(), s.ToString().c_str());
    return 3;
  }
  return 0;
}

}  // namespace
}  // namespace mlpipe::store

int main(int argc, char** argv) { return mlpipe::store::Main(argc, argv); }
