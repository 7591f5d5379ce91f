// The model steps: split, features (one unfitted pipeline per family), train
// (search, refit, the bundle of the best model) and evaluate (KPIs and
// fairness with bootstrap CIs on the test part, single-row latency).
#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/bundle/build.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/sha256.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/confidence.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/eval/fairness.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/features/pipeline.h"
#include "model_input.h"
#include "steps.h"

namespace mlpipe::pipeline::internal {
namespace {

// ------------------------------------------------------------------- split --

Result<core::Json> SplitKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  return core::Json{{"target", s.target.column.name},
                    {"positive", s.target.positive},
                    {"test_size", s.split.test_size},
                    {"stratify", s.split.stratify},
                    {"seed", s.seed}};
}

Result<StepFiles> SplitRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  const bool stratify = ctx.spec->split.stratify && target.task != models::Task::kRegression;
  MLPIPE_ASSIGN_OR_RETURN(
      eval::ThreeWaySplit split,
      eval::TrainValidationTestSplit(
          target.task == models::Task::kRegression ? target.values.size() : target.codes.size(),
          stratify ? std::span<const int32_t>(target.codes) : std::span<const int32_t>(), 0,
          ctx.spec->split.test_size, core::Rng::Derive(ctx.spec->seed, 1)));
  StepFiles out;
  out.summary = SplitSummary{std::string(models::TaskName(target.task)),
                             static_cast<int64_t>(split.train.size()),
                             static_cast<int64_t>(split.test.size()), stratify}
                    .ToJson();
  out.files["split.json"] = core::Json({{"train", split.train}, {"test", split.test}}).dump();
  return out;
}

// ---------------------------------------------------------------- features --

Result<core::Json> FeaturesKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  core::Json families = core::Json::array();
  for (const auto& m : s.models) families.push_back(m.family);
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> columns, FeatureColumns(ctx, false));
  return core::Json{{"features", s.features},
                    {"families", families},
                    {"interpretability", s.interpretability_required},
                    {"columns", columns},
                    {"seed", s.seed}};
}

Result<StepFiles> FeaturesRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> families, Families(*ctx.spec, target.task));
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> columns, FeatureColumns(ctx, false));
  MLPIPE_ASSIGN_OR_RETURN(table::Table selected, t->Select(columns));
  const table::Table train_x = selected.Take(split.first);
  const eval::Target train_y = target.Take(split.first);
  core::Json specs = core::Json::object();
  FeaturesSummary summary;
  summary.columns = columns;
  for (const auto& family : families) {
    core::Json spec = ctx.spec->features;
    if (spec.is_null()) {
      MLPIPE_ASSIGN_OR_RETURN(spec,
                              eval::DefaultFeatureSpec(train_x, train_y, family, ctx.spec->seed));
    }
    auto p = features::FeaturePipeline::FromJson(spec);
    if (!p.ok()) return p.status().WithContext(Where(*ctx.spec, ctx.spec->features_mark));
    std::vector<std::string> names;
    for (size_t i = 0; i < p->size(); ++i) names.emplace_back(p->transform(i).name());
    specs[family] = spec;
    summary.families[family] = std::move(names);
  }
  StepFiles out;
  out.summary = summary.ToJson();
  out.files["features.json"] = core::DumpPretty(specs);
  return out;
}

// ------------------------------------------------------------------- train --

Result<core::Json> TrainKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  core::Json models = core::Json::array();
  for (const auto& m : s.models) {
    core::Json search = core::Json::array();
    for (const auto& p : m.search) search.push_back({p.name, p.numeric, p.min, p.max, p.choices});
    models.push_back({m.family, search});
  }
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  return core::Json{{"models", models},
                    {"search", s.search.ToSearchSpec()},
                    {"cv", s.search.cv},
                    {"metrics", TrainMetrics(s, target.task)},
                    {"protected", ctx.Protected()},
                    {"kept_protected", ctx.OverriddenProtected()},
                    {"positive", s.target.positive},
                    {"seed", s.seed}};
}

Result<StepFiles> TrainRun(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  eval::TrainOptions o;
  o.data = ingest.dataset_ref;
  o.target = s.target.column.name;
  o.positive = s.target.positive;
  o.task = s.target.task;
  MLPIPE_ASSIGN_OR_RETURN(o.families, Families(s, target.task));
  o.search = s.search.ToSearchSpec();
  o.cv = s.search.cv;
  o.metrics = TrainMetrics(s, target.task);
  o.protected_columns = ctx.Protected();
  o.protected_features = ctx.OverriddenProtected();
  o.seed = s.seed;
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  o.train_rows = std::move(split.first);
  o.test_rows = std::move(split.second);
  MLPIPE_ASSIGN_OR_RETURN(std::string features_text, ctx.File("features", "features.json"));
  MLPIPE_ASSIGN_OR_RETURN(core::Json specs, core::ParseJson(features_text, "features.json"));
  for (const auto& [family, spec] : specs.items()) o.pipelines[family] = spec;
  for (const auto& m : s.models) {
    for (const auto& p : m.search) {
      o.search_overrides[m.family].push_back({p.name, p.numeric, p.min, p.max, p.choices});
    }
  }
  // Columns neither features nor protected (ids, ignored) are gone from the
  // model table already; a protected column not kept is dropped by Train.
  eval::TrainObserver* observer =
      ctx.options->observer != nullptr ? ctx.options->observer->TrainProgress() : nullptr;
  auto trained = eval::Train(*t, o, observer);
  if (!trained.ok()) return trained.status().WithContext("train");
  const eval::TrainResult& result = *trained;

  bundle::BundleInfo info;
  info.created_by = "mlpipe " MLPIPE_VERSION;
  // Only what a re-run reproduces: no run id, no time.
  info.lineage = {{"data", o.data},
                  {"data_sha256", ingest.sha256},
                  {"spec_sha256", core::Sha256Hex(ctx.options->spec_text)},
                  {"seed", s.seed}};
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::BuildBundle(result, *t, info));
  MLPIPE_ASSIGN_OR_RETURN(std::string bytes, bundle::EncodeBundle(b));

  StepFiles out;
  TrainSummary summary;
  core::Json board = core::Json::array();
  for (const auto& e : result.leaderboard) {
    core::Json j = e.json;
    summary.fit_seconds += j.value("search_fit_seconds", 0.0) + j.value("fit_seconds", 0.0);
    j.erase("fit_seconds");  // wall times differ run to run; the file must not
    j.erase("search_fit_seconds");
    MLPIPE_ASSIGN_OR_RETURN(
        LeaderboardRecord entry,
        LeaderboardRecord::FromJson(j, fmt::format("leaderboard[{}]", board.size())));
    summary.leaderboard.push_back(std::move(entry));
    board.push_back(std::move(j));
    summary.trials += static_cast<int64_t>(e.search.trials.size());
  }
  summary.best = result.best().family;
  summary.metrics = result.metrics;
  summary.bundle_bytes = static_cast<int64_t>(bytes.size());
  out.summary = summary.ToJson();
  out.files["leaderboard.json"] = core::DumpPretty(board);
  out.files["model.mlpb"] = std::move(bytes);
  return out;
}

// ---------------------------------------------------------------- evaluate --

Result<core::Json> EvaluateKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  core::Json constraints = core::Json::array(), fairness = core::Json::array();
  for (const auto& c : s.kpis.constraints) constraints.push_back(ConstraintJson(c));
  for (const auto& c : s.kpis.fairness) fairness.push_back(ConstraintJson(c));
  return core::Json{
      {"primary", s.kpis.primary},    {"constraints", constraints},
      {"fairness", fairness},         {"latency_budget_ms", s.kpis.latency_budget_ms.value_or(0)},
      {"protected", ctx.Protected()}, {"seed", s.seed}};
}

// Non-finite figures are recorded as undefined (null).
EstimateRecord Estimate(const eval::MetricCi& ci) {
  auto num = [](double v) { return std::isfinite(v) ? MaybeNumber(v) : std::nullopt; };
  return {num(ci.estimate), num(ci.low), num(ci.high), ci.confidence};
}

// p50 and p99 of one-row predictions over up to 200 test rows, in ms.
Result<LatencyRecord> Latency(const bundle::Predictor& model, const table::Table& test,
                              double budget_ms) {
  std::vector<double> ms;
  const size_t n = std::min<size_t>(test.num_rows(), 200);
  for (size_t i = 0; i < n; ++i) {
    const table::Table row = test.Take(std::vector<size_t>{i});
    const auto t0 = std::chrono::steady_clock::now();
    MLPIPE_RETURN_IF_ERROR(model.Predict(row).status());
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  auto q = [&](double p) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  return LatencyRecord{static_cast<int64_t>(n), q(0.5), q(0.99), budget_ms, q(0.99) <= budget_ms};
}

Result<StepFiles> EvaluateRun(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  MLPIPE_ASSIGN_OR_RETURN(const bundle::Predictor* model, ctx.Model());
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  const table::Table test = t->Take(split.second);
  MLPIPE_ASSIGN_OR_RETURN(TestScores scores, ScoreTest(*model, test, s.target.column.name));
  stats::BootstrapOptions bo;
  bo.resamples = 1000;
  bo.seed = core::Rng::Derive(s.seed, 7);
  bo.pool = &core::ThreadPool::Shared();

  EvaluateSummary summary;
  std::vector<std::string> metrics = TrainMetrics(s, model->bundle().task);
  for (const auto& m : metrics) {
    MLPIPE_ASSIGN_OR_RETURN(eval::MetricCi ci, eval::BootstrapMetric(m, scores.input, bo));
    KpiRecord k;
    k.metric = m;
    k.estimate = Estimate(ci);
    for (const auto& c : s.kpis.constraints) {
      if (c.metric != m) continue;
      const bool holds = std::isfinite(ci.estimate) && c.Holds(ci.estimate);
      k.constraints.push_back(fmt::format("{} {} {}", c.metric, c.op, c.value));
      k.passed = k.passed && holds;
    }
    summary.kpis.push_back(std::move(k));
  }

  if (model->bundle().task == models::Task::kBinary) {
    for (const auto& column : ctx.Protected()) {
      MLPIPE_ASSIGN_OR_RETURN(const table::Column* col, t->GetColumn(column));
      eval::ProtectedColumn pc;
      pc.name = column;
      std::vector<int32_t> codes = eval::ProtectedGroupCodes(*col, split.second, &pc.group_names);
      pc.codes = codes;
      MLPIPE_ASSIGN_OR_RETURN(
          eval::FairnessReport report,
          eval::EvaluateFairness(scores.input.labels, scores.input.predicted, pc));
      std::vector<GroupRecord>& g = summary.groups[column];
      for (const auto& r : report.groups) {
        g.push_back({r.name, static_cast<int64_t>(r.count), r.selection_rate, r.tpr, r.fpr,
                     r.four_fifths_flag});
      }
      eval::MetricInput in = scores.input;
      in.groups = codes;
      in.num_groups = pc.group_names.size();
      for (const auto& c : s.kpis.fairness) {
        bool applies = c.columns.empty();
        for (const auto& r : c.columns) applies = applies || r.name == column;
        if (!applies) continue;
        auto ci = eval::BootstrapMetric(c.metric, in, bo);
        FairnessRecord f;
        f.metric = c.metric;
        if (ci.ok()) f.estimate = Estimate(*ci);
        f.column = column;
        f.constraint = fmt::format("{} {} {}", c.metric, c.op, c.value);
        f.passed = ci.ok() && std::isfinite(ci->estimate) && c.Holds(ci->estimate);
        if (!ci.ok()) f.error = ci.status().message();
        summary.fairness.push_back(std::move(f));
      }
    }
  }
  summary.test_rows = static_cast<int64_t>(test.num_rows());
  if (s.kpis.latency_budget_ms) {
    MLPIPE_ASSIGN_OR_RETURN(summary.latency, Latency(*model, test, *s.kpis.latency_budget_ms));
  }
  StepFiles out;
  out.summary = summary.ToJson();
  out.files["evaluation.json"] = core::DumpPretty({{"kpis", out.summary["kpis"]},
                                                   {"fairness", out.summary["fairness"]},
                                                   {"groups", out.summary["groups"]}});
  return out;
}

}  // namespace

Step SplitStep() { return {"split", {"ingest"}, SplitKey, SplitRun, CheckSummary<SplitSummary>}; }
Step FeaturesStep() {
  return {"features", {"ingest", "split"}, FeaturesKey, FeaturesRun, CheckSummary<FeaturesSummary>};
}
Step TrainStep() {
  return {"train",
          {"ingest", "split", "features", "governance"},
          TrainKey,
          TrainRun,
          CheckSummary<TrainSummary>};
}
Step EvaluateStep() {
  return {"evaluate",
          {"ingest", "split", "train"},
          EvaluateKey,
          EvaluateRun,
          CheckSummary<EvaluateSummary>};
}

}  // namespace mlpipe::pipeline::internal
