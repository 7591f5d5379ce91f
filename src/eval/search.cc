// Grid, random and successive-halving search over one model family.
#include "mlpipe/eval/search.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mlpipe::eval {
namespace {

// Hyperparameters that steer training rather than model capacity.
bool IsTrainingControl(std::string_view name) {
  return name == "early_stopping_rounds" || name == "tol";
}

// The value at fraction `u` of [min, max] (log scale when asked and possible).
double Interpolate(const ParamRange& p, double u) {
  double v = p.log_scale && p.min > 0
                 ? std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)))
                 : p.min + u * (p.max - p.min);
  if (p.type == models::ParamType::kInt) v = std::round(v);
  return std::clamp(v, p.min, p.max);
}

// Interior grid points: fractions 1/(n+1) .. n/(n+1), deduplicated.
std::vector<models::ParamValue> GridValues(const ParamRange& p, size_t points) {
  std::vector<models::ParamValue> out;
  if (p.type == models::ParamType::kCategorical) {
    for (const auto& c : p.choices) out.emplace_back(c);
    return out;
  }
  for (size_t i = 1; i <= points; ++i) {
    double v = Interpolate(p, static_cast<double>(i) / static_cast<double>(points + 1));
    if (std::find(out.begin(), out.end(), models::ParamValue(v)) == out.end()) out.emplace_back(v);
  }
  return out;
}

bool Better(double a, double b, bool higher_is_better) { return higher_is_better ? a > b : a < b; }

double Score(const Trial& t) {
  return t.ok() ? t.metrics[0].mean : std::numeric_limits<double>::quiet_NaN();
}

// Indices of the ok trials among `ids`, best first (ties: lower id).
std::vector<size_t> Ranked(const std::vector<Trial>& trials, std::vector<size_t> ids, bool hib) {
  std::erase_if(ids, [&](size_t i) { return !std::isfinite(Score(trials[i])); });
  std::stable_sort(ids.begin(), ids.end(), [&](size_t a, size_t b) {
    return Better(Score(trials[a]), Score(trials[b]), hib);
  });
  return ids;
}

int HalvingRungs(int n, int eta) {
  int r = 0;
  for (long long p = eta; p <= n; p *= eta) ++r;
  return r;
}

// Runs the configurations of one rung and appends their trials.
class Runner {
 public:
  Runner(const SearchProblem& problem, const SearchOptions& options, std::string family,
         size_t total, bool hib)
      : problem_(problem),
        options_(options),
        family_(std::move(family)),
        total_(total),
        hib_(hib) {}

  // Returns the ids of the new trials.
  Result<std::vector<size_t>> RunRung(const std::vector<models::HyperParams>& configs, int rung,
                                      double fraction, std::vector<Trial>& trials) {
    MLPIPE_ASSIGN_OR_RETURN(
        auto folds, PrepareFolds(*problem_.features, *problem_.target, problem_.pipeline_spec,
                                 problem_.folds, fraction, options_.seed, options_.pool));
    const size_t first = trials.size();
    for (size_t i = 0; i < configs.size(); ++i) {
      Trial t;
      t.id = first + i;
      t.family = family_;
      t.params = configs[i];
      t.rung = rung;
      t.row_fraction = fraction;
      trials.push_back(std::move(t));
    }
    // One task per (trial, fold), trials in order: finer pieces than whole
    // trials keep both cores busy to the end of the rung. The fold that
    // completes a trial summarises and reports it. Every fit is
    // single-threaded when tasks run in parallel, so results do not depend
    // on the schedule.
    const size_t k = folds.size();
    const size_t tasks = configs.size() * k;
    const bool parallel = options_.pool != nullptr && options_.pool->size() > 1 && tasks > 1;
    const int nthread = parallel ? 1 : std::max(1, options_.nthread);
    std::vector<Result<FoldScore>> scores(tasks, Result<FoldScore>(FoldScore{}));
    std::unique_ptr<std::atomic<size_t>[]> left(new std::atomic<size_t>[configs.size()]);
    for (size_t i = 0; i < configs.size(); ++i) left[i] = k;
    auto run = [&](size_t begin, size_t end) {
      for (size_t task = begin; task < end; ++task) {
        const size_t i = task / k;
        Trial& t = trials[first + i];
        scores[task] =
            ScoreFold(folds[task % k], family_, t.params, problem_.metrics, options_.seed, nthread);
        if (left[i].fetch_sub(1) != 1) continue;
        std::vector<Result<FoldScore>> mine(
            scores.begin() + static_cast<std::ptrdiff_t>(i * k),
            scores.begin() + static_cast<std::ptrdiff_t>(i * k + k));
        auto summary = SummarizeFolds(problem_.metrics, mine);
        if (summary.ok()) {
          t.metrics = std::move(summary->metrics);
          t.fit_seconds = summary->fit_seconds;
        } else {
          t.error = summary.status().message();
        }
        Report(t);
      }
    };
    if (parallel) {
      options_.pool->ParallelFor(tasks, run, tasks);
    } else {
      run(0, tasks);
    }
    std::vector<size_t> ids(configs.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = first + i;
    return ids;
  }

 private:
  void Report(const Trial& t) {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    if (t.ok() && t.row_fraction == 1 && std::isfinite(Score(t)) &&
        (!has_best_ || Better(Score(t), Score(best_), hib_))) {
      best_ = t;
      has_best_ = true;
    }
    if (options_.observer != nullptr) {
      options_.observer->OnTrialDone(t, has_best_ ? &best_ : nullptr, done_, total_);
    }
  }

  const SearchProblem& problem_;
  const SearchOptions& options_;
  std::string family_;
  size_t total_;
  bool hib_;
  std::mutex mu_;
  size_t done_ = 0;
  Trial best_;
  bool has_best_ = false;
};

}  // namespace

Result<SearchSpace> DefaultSearchSpace(std::string_view family, const SearchSpaceOptions& options) {
  MLPIPE_ASSIGN_OR_RETURN(const models::ModelFamily* f, models::FindModelFamily(family));
  SearchSpace space;
  space.family = f->name;
  for (const models::HyperParamSpec& spec : f->hyperparameters) {
    if (IsTrainingControl(spec.name)) continue;
    ParamRange p;
    p.name = spec.name;
    p.type = spec.type;
    const bool narrowed = spec.search_max > spec.search_min;
    p.min = narrowed ? spec.search_min : spec.min;
    p.max = narrowed ? spec.search_max : spec.max;
    if (p.name == "n_estimators") p.max = std::max(p.min, std::min(p.max, options.max_estimators));
    p.log_scale = spec.log_scale;
    p.choices = spec.choices;
    if (space.params.size() < options.grid_params) p.grid = GridValues(p, options.grid_points);
    space.params.push_back(std::move(p));
  }
  return space;
}

Status ApplyOverrides(SearchSpace& space, const std::vector<ParamOverride>& overrides) {
  MLPIPE_ASSIGN_OR_RETURN(const models::ModelFamily* family, models::FindModelFamily(space.family));
  for (const ParamOverride& o : overrides) {
    auto it = std::find_if(space.params.begin(), space.params.end(),
                           [&](const ParamRange& p) { return p.name == o.name; });
    if (it == space.params.end()) {
      std::vector<std::string> names;
      for (const auto& p : space.params) names.push_back(p.name);
      return InvalidArgumentError(fmt::format("{}: unknown hyperparameter '{}' (searched: {})",
                                              space.family, o.name, fmt::join(names, ", ")));
    }
    ParamRange& p = *it;
    const std::string where = fmt::format("{}.{}", space.family, o.name);
    const bool categorical = p.type == models::ParamType::kCategorical;
    if (categorical == o.numeric) {
      return InvalidArgumentError(
          fmt::format("{}: expects {}", where,
                      categorical ? "a list of choices, e.g. [a, b]" : "a range [min, max]"));
    }
    const models::HyperParamSpec* spec = nullptr;
    for (const auto& h : family->hyperparameters) {
      if (h.name == o.name) spec = &h;
    }
    if (categorical) {
      if (o.choices.empty()) return InvalidArgumentError(where + ": no choices given");
      for (const auto& c : o.choices) {
        if (std::find(spec->choices.begin(), spec->choices.end(), c) == spec->choices.end()) {
          return InvalidArgumentError(fmt::format("{}: unknown choice '{}' (valid: {})", where, c,
                                                  fmt::join(spec->choices, ", ")));
        }
      }
      p.choices = o.choices;
    } else {
      if (!(o.min <= o.max)) {
        return InvalidArgumentError(
            fmt::format("{}: min {} is greater than max {}", where, o.min, o.max));
      }
      if (o.min < spec->min || o.max > spec->max) {
        return InvalidArgumentError(fmt::format("{}: [{}, {}] is outside the accepted [{}, {}]",
                                                where, o.min, o.max, spec->min, spec->max));
      }
      p.min = o.min;
      p.max = o.max;
    }
    if (!p.grid.empty()) p.grid = GridValues(p, categorical ? 0 : p.grid.size());
  }
  return Status::OK();
}

std::vector<models::HyperParams> GridConfigurations(const SearchSpace& space) {
  std::vector<models::HyperParams> out(1);
  for (const ParamRange& p : space.params) {
    if (p.grid.empty()) continue;
    std::vector<models::HyperParams> next;
    for (const auto& base : out) {
      for (const auto& v : p.grid) {
        next.push_back(base);
        next.back()[p.name] = v;
      }
    }
    out = std::move(next);
  }
  return out;
}

models::HyperParams SampleConfiguration(const SearchSpace& space, core::Rng& rng) {
  models::HyperParams out;
  for (const ParamRange& p : space.params) {
    if (p.type == models::ParamType::kCategorical) {
      if (!p.choices.empty()) out[p.name] = p.choices[rng.Below(p.choices.size())];
    } else {
      out[p.name] = Interpolate(p, rng.Uniform());
    }
  }
  return out;
}

core::Json ParamsToJson(const models::HyperParams& params) {
  core::Json j = core::Json::object();
  for (const auto& [name, value] : params) {
    if (const double* d = std::get_if<double>(&value)) {
      if (*d == std::floor(*d) && std::fabs(*d) < 1e15) {
        j[name] = static_cast<int64_t>(*d);
      } else {
        j[name] = *d;
      }
    } else {
      j[name] = std::get<std::string>(value);
    }
  }
  return j;
}

Result<SearchSpec> ParseSearchSpec(std::string_view text) {
  auto bad = [&] {
    return InvalidArgumentError(fmt::format(
        "search: bad spec '{}'; expected grid, random:N or halving:N (N a positive integer)",
        text));
  };
  SearchSpec spec;
  if (text == "grid") {
    spec.kind = SearchKind::kGrid;
    return spec;
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return bad();
  std::string_view kind = text.substr(0, colon), count = text.substr(colon + 1);
  if (kind == "random") {
    spec.kind = SearchKind::kRandom;
  } else if (kind == "halving") {
    spec.kind = SearchKind::kHalving;
  } else {
    return bad();
  }
  int n = 0;
  auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
  if (ec != std::errc() || ptr != count.data() + count.size() || n < 1 || n > 100000) return bad();
  if (spec.kind == SearchKind::kHalving && n < 2) {
    return InvalidArgumentError("search: halving needs at least 2 configurations");
  }
  spec.configurations = n;
  return spec;
}

size_t CountTrials(const SearchSpec& spec, const SearchSpace& space) {
  switch (spec.kind) {
    case SearchKind::kGrid:
      return GridConfigurations(space).size();
    case SearchKind::kRandom:
      return static_cast<size_t>(spec.configurations);
    case SearchKind::kHalving: {
      size_t total = 0, n = static_cast<size_t>(spec.configurations);
      for (int r = 0; r <= HalvingRungs(spec.configurations, spec.eta); ++r) {
        total += n;
        n = std::max<size_t>(1, n / static_cast<size_t>(spec.eta));
      }
      return total;
    }
  }
  return 0;
}

Result<SearchResult> RunSearch(const SearchProblem& problem, const SearchSpace& space,
                               const SearchOptions& options) {
  if (problem.features == nullptr || problem.target == nullptr) {
    return InvalidArgumentError("search: the problem needs features and a target");
  }
  if (problem.features->num_rows() != problem.target->labels.size()) {
    return InvalidArgumentError("search: features and target differ in rows");
  }
  if (problem.folds.empty()) return InvalidArgumentError("search: no folds");
  MLPIPE_RETURN_IF_ERROR(CheckMetrics(problem.metrics, problem.target->task));
  MLPIPE_ASSIGN_OR_RETURN(const models::ModelFamily* family, models::FindModelFamily(space.family));
  if (!family->Supports(problem.target->task)) {
    return InvalidArgumentError(fmt::format("search: family '{}' does not support {} targets",
                                            family->name, models::TaskName(problem.target->task)));
  }
  if (options.spec.eta < 2) return InvalidArgumentError("search: eta must be at least 2");
  MLPIPE_ASSIGN_OR_RETURN(const MetricDef* metric, FindMetric(problem.metrics[0]));
  const bool hib = metric->higher_is_better;

  std::vector<models::HyperParams> configs;
  if (options.spec.kind == SearchKind::kGrid) {
    configs = GridConfigurations(space);
  } else {
    for (int t = 0; t < options.spec.configurations; ++t) {
      core::Rng rng(core::Rng::Derive(options.seed, static_cast<uint64_t>(t)));
      configs.push_back(SampleConfiguration(space, rng));
    }
  }
  SearchResult result;
  result.family = space.family;
  Runner runner(problem, options, space.family, CountTrials(options.spec, space), hib);
  if (options.spec.kind != SearchKind::kHalving) {
    MLPIPE_RETURN_IF_ERROR(runner.RunRung(configs, 0, 1.0, result.trials).status());
  } else {
    const int rungs = HalvingRungs(options.spec.configurations, options.spec.eta);
    for (int r = 0; r <= rungs && !configs.empty(); ++r) {
      double fraction = std::pow(static_cast<double>(options.spec.eta), r - rungs);
      MLPIPE_ASSIGN_OR_RETURN(auto ids, runner.RunRung(configs, r, fraction, result.trials));
      std::vector<size_t> ranked = Ranked(result.trials, ids, hib);
      size_t keep = std::max<size_t>(1, ids.size() / static_cast<size_t>(options.spec.eta));
      ranked.resize(std::min(keep, ranked.size()));
      configs.clear();
      for (size_t id : ranked) configs.push_back(result.trials[id].params);
    }
  }
  std::vector<size_t> full;
  for (const Trial& t : result.trials) {
    if (t.row_fraction == 1) full.push_back(t.id);
  }
  std::vector<size_t> ranked = Ranked(result.trials, full, hib);
  if (ranked.empty()) {
    for (const Trial& t : result.trials) {
      if (!t.ok()) {
        return InvalidArgumentError(
            fmt::format("search: every {} trial failed; first: {}", space.family, t.error));
      }
    }
    return InvalidArgumentError("search: no trial gave a finite " + problem.metrics[0]);
  }
  result.best = ranked[0];
  return result;
}

Result<FittedModel> FitFinal(const table::Table& features, const Target& target,
                             const core::Json& pipeline_spec, std::string_view family,
                             const models::HyperParams& params, uint64_t seed, int nthread) {
  FittedModel out;
  MLPIPE_ASSIGN_OR_RETURN(out.pipeline, features::FeaturePipeline::FromJson(pipeline_spec));
  const table::Column y = target.AsColumn();
  MLPIPE_ASSIGN_OR_RETURN(table::Table fitted, out.pipeline.FitTransform(features, &y));
  MLPIPE_ASSIGN_OR_RETURN(table::DenseMatrix x, features::FeaturePipeline::TableToMatrix(fitted));
  models::Dataset train{&x, target.labels, {}};
  models::FitOptions options;
  options.task = target.task;
  options.num_classes = target.task == models::Task::kRegression ? 0 : target.num_classes();
  options.params = params;
  options.seed = seed;
  options.nthread = std::max(1, nthread);
  auto start = std::chrono::steady_clock::now();
  MLPIPE_ASSIGN_OR_RETURN(out.model, models::FitModel(family, train, options));
  out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace mlpipe::eval
