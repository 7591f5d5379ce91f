// Conformance tests of the tracking records (experiments, runs, params,
// metrics, tags, artifacts, inputs, run search), run on every backend.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "conformance_fixture.h"

namespace mlpipe::store {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// prefix + number, e.g. "m3" (appended: GCC 12 misreports `"m" + std::string`).
std::string Name(const char* prefix, int64_t n) {
  return std::string(prefix).append(std::to_string(n));
}

RunInfo MustCreateRun(MetadataStore& s, const std::string& experiment,
                      const std::string& name = "") {
  RunOrigin o;
  o.name = name;
  auto r = s.CreateRun(experiment, o, "tester");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : RunInfo{};
}

// ---- enum names (backend-independent) -----------------------------------------

TEST(EnumNamesTest, EveryNameRoundTripsAndUnknownNamesListTheValidOnes) {
  for (RunStatus s :
       {RunStatus::kRunning, RunStatus::kFinished, RunStatus::kFailed, RunStatus::kKilled}) {
    auto p = ParseRunStatus(RunStatusName(s));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*p, s);
  }
  for (DatasetRole r :
       {DatasetRole::kTrain, DatasetRole::kValidation, DatasetRole::kTest, DatasetRole::kOther}) {
    auto p = ParseDatasetRole(DatasetRoleName(r));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*p, r);
  }
  for (ModelVersionStatus s : {ModelVersionStatus::kPending, ModelVersionStatus::kReady,
                               ModelVersionStatus::kRejected, ModelVersionStatus::kArchived}) {
    auto p = ParseModelVersionStatus(ModelVersionStatusName(s));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*p, s);
  }
  EXPECT_EQ(RunStatusName(RunStatus::kFinished), "FINISHED");
  EXPECT_EQ(DatasetRoleName(DatasetRole::kValidation), "validation");
  EXPECT_EQ(ModelVersionStatusName(ModelVersionStatus::kReady), "ready");

  auto bad = ParseRunStatus("DONE");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "unknown run status 'DONE'; valid: RUNNING, FINISHED, FAILED, KILLED");
  EXPECT_TRUE(
      Contains(ParseDatasetRole("Train").status().message(), "train, validation, test, other"));
  EXPECT_TRUE(Contains(ParseModelVersionStatus("live").status().message(),
                       "pending, ready, rejected, archived"));
}

// ---- experiments and runs -------------------------------------------------------

TEST_P(StoreConformance, ExperimentsAreCreatedOnceAndListed) {
  auto a = store().GetOrCreateExperiment("credit");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto again = store().GetOrCreateExperiment("credit");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(a->id, again->id);
  EXPECT_EQ(a->created_us, again->created_us);
  EXPECT_GT(a->created_us, 0);
  auto b = store().GetOrCreateExperiment("churn");
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->id, b->id);
  auto all = store().ListExperiments();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "credit");
  EXPECT_EQ((*all)[1].name, "churn");
  EXPECT_EQ(store().GetOrCreateExperiment("").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, CreateRunRecordsItsOriginAndAuditsTheStart) {
  RunOrigin o;
  o.name = "baseline";
  o.seed = 0xFFFFFFFFFFFFFFF0ULL;  // above INT64_MAX: stored bit for bit
  o.mlpipe_version = "0.3.0";
  o.host = "build-7";
  o.user = "ada";
  o.command = "mlpipe train --data credit.csv";
  o.git_commit = "0123456789abcdef0123456789abcdef01234567";
  o.git_dirty = true;
  auto r = store().CreateRun("credit", o, "ada");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->run_id.size(), 32u);
  EXPECT_EQ(r->run_id.find_first_not_of("0123456789abcdef"), std::string::npos) << r->run_id;
  EXPECT_EQ(r->status, RunStatus::kRunning);
  EXPECT_EQ(r->experiment, "credit");
  EXPECT_GT(r->start_us, 0);
  EXPECT_EQ(r->end_us, 0);

  auto got = store().GetRun(r->run_id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const RunInfo& i = got->info;
  EXPECT_EQ(i.run_id, r->run_id);
  EXPECT_EQ(i.experiment_id, r->experiment_id);
  EXPECT_EQ(i.experiment, "credit");
  EXPECT_EQ(i.status, RunStatus::kRunning);
  EXPECT_EQ(i.start_us, r->start_us);
  EXPECT_EQ(i.origin.name, "baseline");
  EXPECT_EQ(i.origin.seed, o.seed);
  EXPECT_EQ(i.origin.mlpipe_version, "0.3.0");
  EXPECT_EQ(i.origin.host, "build-7");
  EXPECT_EQ(i.origin.user, "ada");
  EXPECT_EQ(i.origin.command, o.command);
  EXPECT_EQ(i.origin.git_commit, o.git_commit);
  EXPECT_TRUE(i.origin.git_dirty);
  EXPECT_EQ(i.origin.parent_run_id, "");

  auto audit = store().ReadAudit(std::nullopt, r->run_id);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "run.start");
  EXPECT_EQ((*audit)[0].actor, "ada");

  // Run ids are random: a hundred runs, a hundred ids.
  std::set<std::string> ids = {r->run_id};
  for (int k = 0; k < 100; ++k) ids.insert(MustCreateRun(store(), "credit").run_id);
  EXPECT_EQ(ids.size(), 101u);
}

TEST_P(StoreConformance, ChildRunsNameAnExistingParent) {
  RunInfo parent = MustCreateRun(store(), "search");
  RunOrigin o;
  o.parent_run_id = parent.run_id;
  auto child = store().CreateRun("search", o, "tester");
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  EXPECT_EQ(store().GetRun(child->run_id)->info.origin.parent_run_id, parent.run_id);

  o.parent_run_id = "ffffffffffffffffffffffffffffffff";
  auto orphan = store().CreateRun("search", o, "tester");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(orphan.status().message(), o.parent_run_id));
}

TEST_P(StoreConformance, EndRunFinishesOnceAndIsAudited) {
  RunInfo r = MustCreateRun(store(), "credit");
  ASSERT_TRUE(store().EndRun(r.run_id, RunStatus::kFinished, "ada").ok());
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->info.status, RunStatus::kFinished);
  EXPECT_GE(got->info.end_us, got->info.start_us);

  Status again = store().EndRun(r.run_id, RunStatus::kFailed, "ada");
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition) << again.ToString();
  EXPECT_TRUE(Contains(again.message(), r.run_id));
  EXPECT_EQ(store().GetRun(r.run_id)->info.status, RunStatus::kFinished);

  RunInfo r2 = MustCreateRun(store(), "credit");
  EXPECT_EQ(store().EndRun(r2.run_id, RunStatus::kRunning, "ada").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(store().EndRun(r2.run_id, RunStatus::kKilled, "ops").ok());
  EXPECT_EQ(store().GetRun(r2.run_id)->info.status, RunStatus::kKilled);

  auto audit = store().ReadAudit(std::nullopt, r.run_id);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "run.start");
  EXPECT_EQ((*audit)[1].action, "run.end");
  EXPECT_TRUE(Contains((*audit)[1].details_json, "FINISHED"));
}

TEST_P(StoreConformance, UnknownRunIsNotFoundEverywhere) {
  const std::string id = "0123456789abcdef0123456789abcdef";
  std::vector<Status> results = {
      store().EndRun(id, RunStatus::kFinished, "x"),
      store().LogParams(id, {{"a", "1"}}),
      store().LogMetrics(id, {{"m", 1.0, 0, 0}}),
      store().LogMetrics(id, {}),
      store().SetTags(id, {{"t", "v"}}),
      store().LogArtifact(id, {"a.json", "ab", 2}),
      store().LogInput(id, {"credit", 1, DatasetRole::kTrain}),
      store().GetRun(id).status(),
      store().GetMetricHistory(id, "m").status(),
  };
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].code(), StatusCode::kNotFound) << i << ": " << results[i].ToString();
    EXPECT_TRUE(Contains(results[i].message(), id)) << i << ": " << results[i].message();
  }
}

TEST_P(StoreConformance, NothingButTagsCanBeLoggedToAFinishedRun) {
  RunInfo r = MustCreateRun(store(), "credit");
  ASSERT_TRUE(store().EndRun(r.run_id, RunStatus::kFailed, "x").ok());
  std::vector<Status> results = {
      store().LogParams(r.run_id, {{"a", "1"}}),
      store().LogMetrics(r.run_id, {{"m", 1.0, 0, 0}}),
      store().LogArtifact(r.run_id, {"a.json", "ab", 2}),
      store().LogInput(r.run_id, {"credit", 1, DatasetRole::kTrain}),
  };
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].code(), StatusCode::kFailedPrecondition)
        << i << ": " << results[i].ToString();
    EXPECT_TRUE(Contains(results[i].message(), r.run_id));
  }
  ASSERT_TRUE(store().SetTags(r.run_id, {{"reviewed", "yes"}}).ok());
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->params.empty());
  EXPECT_TRUE(got->metrics.empty());
  EXPECT_EQ(got->tags.at("reviewed"), "yes");
}

// ---- params, tags, artifacts, inputs ---------------------------------------------

TEST_P(StoreConformance, ParamsAreImmutable) {
  RunInfo r = MustCreateRun(store(), "credit");
  ASSERT_TRUE(store().LogParams(r.run_id, {{"lr", "0.1"}, {"model", "gbdt"}}).ok());
  ASSERT_TRUE(store().LogParams(r.run_id, {{"lr", "0.1"}}).ok());  // same value: fine
  Status s = store().LogParams(r.run_id, {{"depth", "6"}, {"lr", "0.2"}});
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "'lr'"));
  EXPECT_TRUE(Contains(s.message(), "0.1"));
  EXPECT_TRUE(Contains(s.message(), "0.2"));
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  // The failed call wrote nothing, not even its valid param.
  EXPECT_EQ(got->params, (std::map<std::string, std::string>{{"lr", "0.1"}, {"model", "gbdt"}}));
  EXPECT_EQ(store().LogParams(r.run_id, {{"", "x"}}).code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, TagsCanBeOverwritten) {
  RunInfo r = MustCreateRun(store(), "credit");
  ASSERT_TRUE(store().SetTags(r.run_id, {{"team", "risk"}, {"note", "first"}}).ok());
  ASSERT_TRUE(store().SetTags(r.run_id, {{"note", "second"}}).ok());
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->tags, (std::map<std::string, std::string>{{"note", "second"}, {"team", "risk"}}));
}

TEST_P(StoreConformance, ArtifactsAreListedAndImmutable) {
  RunInfo r = MustCreateRun(store(), "credit");
  const std::string h1(64, 'a'), h2(64, 'b');
  ASSERT_TRUE(store().LogArtifact(r.run_id, {"report.html", h1, 1234}).ok());
  ASSERT_TRUE(store().LogArtifact(r.run_id, {"leaderboard.json", h2, 99}).ok());
  ASSERT_TRUE(store().LogArtifact(r.run_id, {"report.html", h1, 1234}).ok());
  Status s = store().LogArtifact(r.run_id, {"report.html", h2, 99});
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(Contains(s.message(), "report.html"));
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->artifacts.size(), 2u);
  EXPECT_EQ(got->artifacts[0].path, "leaderboard.json");
  EXPECT_EQ(got->artifacts[0].object_hash, h2);
  EXPECT_EQ(got->artifacts[0].size, 99u);
  EXPECT_EQ(got->artifacts[1].path, "report.html");
  EXPECT_EQ(got->artifacts[1].size, 1234u);
}

TEST_P(StoreConformance, InputsMustNameAnExistingDatasetVersion) {
  RunInfo r = MustCreateRun(store(), "credit");
  Status missing = store().LogInput(r.run_id, {"credit", 1, DatasetRole::kTrain});
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
  EXPECT_TRUE(Contains(missing.message(), "credit@1"));

  DatasetVersion v;
  v.name = "credit";
  v.hash = std::string(64, 'c');
  v.size = 100;
  v.rows = 10;
  v.schema_json = "{}";
  v.profile_json = "{}";
  v.source_path = "credit.csv";
  bool existed = false;
  auto added = store().AddDatasetVersion(v, &existed, "ada");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_TRUE(store().LogInput(r.run_id, {"credit", added->version, DatasetRole::kTrain}).ok());
  ASSERT_TRUE(store().LogInput(r.run_id, {"credit", added->version, DatasetRole::kTest}).ok());
  ASSERT_TRUE(store().LogInput(r.run_id, {"credit", added->version, DatasetRole::kTrain}).ok());
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->inputs.size(), 2u);
  EXPECT_EQ(got->inputs[0].dataset, "credit");
  EXPECT_EQ(got->inputs[0].version, added->version);
  std::set<DatasetRole> roles = {got->inputs[0].role, got->inputs[1].role};
  EXPECT_EQ(roles, (std::set<DatasetRole>{DatasetRole::kTrain, DatasetRole::kTest}));
}

// ---- metrics ----------------------------------------------------------------------

TEST_P(StoreConformance, LatestMetricIsTheHighestStepThenTime) {
  RunInfo r = MustCreateRun(store(), "credit");
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"loss", 0.9, 1, 100}, {"auc", 0.7, 0, 100}}).ok());
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"loss", 0.5, 3, 200}}).ok());
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"loss", 0.7, 2, 300}}).ok());  // older step
  // Within one batch too: step 5 wins over a later-listed step 4.
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"auc", 0.8, 5, 400}, {"auc", 0.75, 4, 500}}).ok());
  // Same step: the later timestamp wins, whatever the order logged.
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"acc", 0.6, 0, 900}}).ok());
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"acc", 0.5, 0, 800}}).ok());

  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->metrics.size(), 3u);
  EXPECT_EQ(got->metrics.at("loss").value, 0.5);
  EXPECT_EQ(got->metrics.at("loss").step, 3);
  EXPECT_EQ(got->metrics.at("loss").timestamp_us, 200);
  EXPECT_EQ(got->metrics.at("auc").value, 0.8);
  EXPECT_EQ(got->metrics.at("acc").value, 0.6);

  auto hist = store().GetMetricHistory(r.run_id, "loss");
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 3u);
  EXPECT_EQ((*hist)[0].step, 1);
  EXPECT_EQ((*hist)[1].step, 2);
  EXPECT_EQ((*hist)[1].value, 0.7);
  EXPECT_EQ((*hist)[2].step, 3);
  EXPECT_EQ((*hist)[2].key, "loss");
  EXPECT_TRUE(store().GetMetricHistory(r.run_id, "nope")->empty());
}

TEST_P(StoreConformance, MetricsGetATimestampAndRejectNaN) {
  RunInfo r = MustCreateRun(store(), "credit");
  ASSERT_TRUE(store().LogMetrics(r.run_id, {{"auc", 0.5, 0, 0}}).ok());
  auto got = store().GetRun(r.run_id);
  EXPECT_GE(got->metrics.at("auc").timestamp_us, r.start_us);
  Status nan = store().LogMetrics(
      r.run_id, {{"ok", 1.0, 0, 0}, {"bad", std::numeric_limits<double>::quiet_NaN(), 7, 0}});
  EXPECT_EQ(nan.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(nan.message(), "'bad'"));
  EXPECT_EQ(store().GetRun(r.run_id)->metrics.count("ok"), 0u);
  ASSERT_TRUE(
      store().LogMetrics(r.run_id, {{"big", std::numeric_limits<double>::infinity(), 0, 1}}).ok());
  EXPECT_TRUE(std::isinf(store().GetRun(r.run_id)->metrics.at("big").value));
}

TEST_P(StoreConformance, AThousandMetricsInOneCall) {
  RunInfo r = MustCreateRun(store(), "credit");
  auto batch = [](int call) {
    std::vector<Metric> m;
    for (int i = 0; i < 1000; ++i) {
      m.push_back({Name("m", i % 10), i * 0.001, call * 100 + i / 10, 1000 + i});
    }
    return m;
  };
  // Speed is measured by `make bench` (suite "store"), never asserted here.
  for (int call = 0; call < 5; ++call) {
    Status s = store().LogMetrics(r.run_id, batch(call));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  auto hist = store().GetMetricHistory(r.run_id, "m3");
  ASSERT_TRUE(hist.ok());
  EXPECT_EQ(hist->size(), 500u);
  auto got = store().GetRun(r.run_id);
  ASSERT_EQ(got->metrics.size(), 10u);
  EXPECT_EQ(got->metrics.at("m3").step, 4 * 100 + 99);
  EXPECT_DOUBLE_EQ(got->metrics.at("m3").value, 0.993);
}

// Many batches into one run: every point kept in the history, the latest
// value per key right. (The 1,000,000-point speed target is measured by
// `make bench`, suite "store".)
TEST_P(StoreConformance, ManyBatchesKeepEveryPoint) {
  RunInfo r = MustCreateRun(store(), "credit");
  std::vector<Metric> m(1000);
  for (int call = 0; call < 100; ++call) {
    for (int i = 0; i < 1000; ++i) {
      m[i] = {Name("k", i % 20), static_cast<double>(call), call * 50 + i / 20, 1};
    }
    ASSERT_TRUE(store().LogMetrics(r.run_id, m).ok());
  }
  auto hist = store().GetMetricHistory(r.run_id, "k7");
  ASSERT_TRUE(hist.ok());
  EXPECT_EQ(hist->size(), 5000u);
  EXPECT_EQ(store().GetRun(r.run_id)->metrics.at("k7").value, 99.0);
}

// Batch sizes around the statement chunks that PostgreSQL's multi-row inserts
// use (500 rows, then 16 * 2^k, then at most 16), with as many keys as points
// in some batches so that the latest-value upserts are chunked too.
TEST_P(StoreConformance, BatchesOfEverySizeKeepEveryPoint) {
  RunInfo r = MustCreateRun(store(), "credit");
  const std::vector<int> sizes = {1, 2, 15, 16, 17, 33, 499, 500, 501, 1000, 1234};
  std::map<std::string, int64_t> points;  // per key
  std::map<std::string, double> latest;
  int64_t step = 0;
  for (size_t b = 0; b < sizes.size(); ++b) {
    const int keys = b % 2 == 0 ? sizes[b] : 7;
    std::vector<Metric> m;
    for (int i = 0; i < sizes[b]; ++i) {
      const std::string key = Name("k", i % keys);
      m.push_back({key, 0.5 * i + static_cast<double>(b), ++step, 1});
      ++points[key];
      latest[key] = m.back().value;
    }
    Status s = store().LogMetrics(r.run_id, m);
    ASSERT_TRUE(s.ok()) << "batch of " << sizes[b] << ": " << s.ToString();
  }
  auto got = store().GetRun(r.run_id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->metrics.size(), latest.size());
  for (const auto& [key, value] : latest) EXPECT_EQ(got->metrics.at(key).value, value) << key;
  for (const std::string key : {"k0", "k6", "k499", "k1233"}) {
    auto hist = store().GetMetricHistory(r.run_id, key);
    ASSERT_TRUE(hist.ok());
    EXPECT_EQ(static_cast<int64_t>(hist->size()), points[key]) << key;
  }
}

TEST_P(StoreConformance, ConcurrentWritersOnSeparateConnectionsLoseNothing) {
  RunInfo shared = MustCreateRun(store(), "credit");
  constexpr int kThreads = 4, kCalls = 50, kPerCall = 20;
  std::vector<std::string> own_runs(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<MetadataStore> s = Reopen();
      if (s == nullptr) {
        errors[t] = "reopen failed";
        return;
      }
      auto own = s->CreateRun("credit", RunOrigin{}, "thread");
      if (!own.ok()) {
        errors[t] = own.status().ToString();
        return;
      }
      own_runs[t] = own->run_id;
      const std::string key = Name("t", t);
      for (int c = 0; c < kCalls; ++c) {
        std::vector<Metric> m;
        for (int i = 0; i < kPerCall; ++i) m.push_back({key, 1.0 * t, c * kPerCall + i, 1});
        for (const std::string& run : {shared.run_id, own_runs[t]}) {
          Status st = s->LogMetrics(run, m);
          if (!st.ok()) {
            errors[t] = st.ToString();
            return;
          }
        }
      }
      Status st = s->EndRun(own_runs[t], RunStatus::kFinished, "thread");
      if (!st.ok()) errors[t] = st.ToString();
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) ASSERT_EQ(errors[t], "") << "thread " << t;
  for (int t = 0; t < kThreads; ++t) {
    const std::string key = Name("t", t);
    auto hist = store().GetMetricHistory(shared.run_id, key);
    ASSERT_TRUE(hist.ok());
    EXPECT_EQ(hist->size(), static_cast<size_t>(kCalls * kPerCall)) << key;
    auto own = store().GetMetricHistory(own_runs[t], key);
    ASSERT_TRUE(own.ok());
    EXPECT_EQ(own->size(), static_cast<size_t>(kCalls * kPerCall)) << key;
    auto run = store().GetRun(own_runs[t]);
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->info.status, RunStatus::kFinished);
    EXPECT_EQ(run->metrics.at(key).step, kCalls * kPerCall - 1);
  }
  EXPECT_EQ(store().GetRun(shared.run_id)->metrics.size(), static_cast<size_t>(kThreads));
  // Every run start and end made it into the audit chain, which still verifies.
  auto verdict = store().VerifyAudit();
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries, 1 + 2 * kThreads);
}

// ---- search -----------------------------------------------------------------------

TEST_P(StoreConformance, SearchRunsFiltersOrdersAndPages) {
  // Ten runs in "credit" (auc 0.50 .. 0.95, gbdt for even i) and two in "churn".
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    RunInfo r = MustCreateRun(store(), "credit", Name("run", i));
    ids.push_back(r.run_id);
    ASSERT_TRUE(store().LogParams(r.run_id, {{"model", i % 2 == 0 ? "gbdt" : "logreg"}}).ok());
    ASSERT_TRUE(store().LogMetrics(r.run_id, {{"auc", 0.5 + 0.05 * i, 0, 1}}).ok());
  }
  for (int i = 0; i < 2; ++i) {
    RunInfo r = MustCreateRun(store(), "churn");
    ASSERT_TRUE(store().LogParams(r.run_id, {{"model", "gbdt"}}).ok());
    ASSERT_TRUE(store().LogMetrics(r.run_id, {{"auc", 0.99, 0, 1}}).ok());
  }

  RunQuery q;
  q.experiment = "credit";
  q.filter = "metrics.auc > 0.6 and params.model = 'gbdt'";  // i = 4, 6, 8
  q.order_by = {"metrics.auc DESC"};
  q.limit = 2;
  auto page = store().SearchRuns(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->runs.size(), 2u);
  EXPECT_EQ(page->runs[0].run_id, ids[8]);
  EXPECT_EQ(page->runs[1].run_id, ids[6]);
  EXPECT_EQ(page->runs[0].experiment, "credit");
  EXPECT_EQ(page->runs[0].origin.name, "run8");
  q.offset = 2;
  page = store().SearchRuns(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs[0].run_id, ids[4]);
  // A page past the end, and a count alone (limit 0), still give the total.
  q.offset = 5;
  page = store().SearchRuns(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  EXPECT_TRUE(page->runs.empty());
  q.offset = 0;
  q.limit = 0;
  page = store().SearchRuns(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  EXPECT_TRUE(page->runs.empty());

  // Without the experiment, the churn runs match too.
  RunQuery all;
  all.filter = "params.model = 'gbdt'";
  page = store().SearchRuns(all);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 7);
  EXPECT_EQ(page->runs.size(), 7u);

  RunQuery unknown;
  unknown.experiment = "nope";
  EXPECT_EQ(store().SearchRuns(unknown).status().code(), StatusCode::kNotFound);
  RunQuery bad;
  bad.filter = "metrics.auc >";
  EXPECT_EQ(store().SearchRuns(bad).status().code(), StatusCode::kInvalidArgument);
  RunQuery negative;
  negative.limit = -1;
  EXPECT_EQ(store().SearchRuns(negative).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mlpipe::store
