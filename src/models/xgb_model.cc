#include "xgb_model.h"

#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>

#include "mlpipe/models/tree_predictor.h"
#include "xgb_booster.h"

namespace mlpipe::models {

namespace {

// A fitted tree ensemble. Compiled (the usual form): the trees are a
// TreeEnsemblePredictor built from XGBoost's JSON model, which is also what
// Save writes; an XGBoost booster is loaded from that JSON only when first
// needed (SHAP explanations). For scoring only (FitOptions::for_scoring): no
// JSON and no predictor; the trained booster scores whole batches.
class XgbModel final : public Model {
 public:
  XgbModel(ModelInfo info, TreeEnsemblePredictor predictor, core::Json json)
      : info_(std::move(info)),
        predictor_(std::move(predictor)),
        json_(std::move(json)),
        compiled_(true) {}
  XgbModel(ModelInfo info, XgbBooster booster)
      : info_(std::move(info)), booster_(std::move(booster)), compiled_(false) {}

  std::string_view name() const override { return info_.family; }
  Task task() const override { return info_.task; }
  size_t num_classes() const override { return info_.num_classes; }
  const std::vector<std::string>& feature_names() const override { return info_.feature_names; }

  Result<std::vector<double>> PredictMargin(const table::DenseMatrix& x) const override {
    MLPIPE_RETURN_IF_ERROR(CheckColumns(x, info_.feature_names, info_.family));
    if (!compiled_) {
      MLPIPE_ASSIGN_OR_RETURN(std::vector<float> m, BoosterPredict(x, XgbPredictType::kMargin));
      return std::vector<double>(m.begin(), m.end());
    }
    const size_t k = predictor_.num_outputs();
    std::vector<float> m(k);
    std::vector<double> out(x.rows * k);
    for (size_t r = 0; r < x.rows; ++r) {
      predictor_.PredictMargin(x.row(r), m.data());
      for (size_t j = 0; j < k; ++j) out[r * k + j] = m[j];
    }
    return out;
  }

  Result<Predictions> Predict(const table::DenseMatrix& x) const override {
    MLPIPE_RETURN_IF_ERROR(CheckColumns(x, info_.feature_names, info_.family));
    Predictions p;
    p.task = info_.task;
    p.rows = x.rows;
    p.num_classes = info_.num_classes;
    const size_t k = num_outputs();
    if (info_.task == Task::kRegression)
      p.values.resize(x.rows);
    else
      p.probabilities.resize(x.rows * info_.num_classes);
    std::vector<float> batch;
    if (!compiled_) {
      MLPIPE_ASSIGN_OR_RETURN(batch, BoosterPredict(x, XgbPredictType::kValue));
    }
    std::vector<float> row_out(k);
    for (size_t r = 0; r < x.rows; ++r) {
      const float* out = row_out.data();
      if (compiled_) {
        predictor_.Predict(x.row(r), row_out.data());
      } else {
        out = batch.data() + r * k;
      }
      if (info_.task == Task::kRegression) {
        p.values[r] = out[0];
      } else if (info_.task == Task::kBinary) {
        p.probabilities[2 * r] = 1.0 - static_cast<double>(out[0]);
        p.probabilities[2 * r + 1] = out[0];
      } else {
        for (size_t j = 0; j < k; ++j) p.probabilities[r * k + j] = out[j];
      }
    }
    if (info_.task != Task::kRegression) FillArgmax(p);
    return p;
  }

  Status PredictRow(const float* features, double* out) const override {
    if (!compiled_) return Model::PredictRow(features, out);
    constexpr size_t kMaxOutputs = 64;  // more classes take the batch path
    const size_t k = num_outputs();
    if (k > kMaxOutputs) return Model::PredictRow(features, out);
    float o[kMaxOutputs];
    predictor_.Predict(features, o);
    if (info_.task == Task::kRegression) {
      out[0] = o[0];
    } else if (info_.task == Task::kBinary) {
      out[0] = 1.0 - static_cast<double>(o[0]);
      out[1] = o[0];
    } else {
      for (size_t j = 0; j < k; ++j) out[j] = o[j];
    }
    return Status::OK();
  }

  Result<Explanation> Explain(const table::DenseMatrix& x, size_t row) const override {
    MLPIPE_RETURN_IF_ERROR(CheckColumns(x, info_.feature_names, info_.family));
    if (row >= x.rows) {
      return OutOfRangeError(info_.family + ": row " + std::to_string(row) + " of " +
                             std::to_string(x.rows));
    }
    MLPIPE_ASSIGN_OR_RETURN(const XgbBooster* booster, Booster());
    MLPIPE_ASSIGN_OR_RETURN(std::vector<float> c,
                            booster->PredictContributions(x.row(row), 1, x.cols));
    Explanation e;
    e.num_outputs = num_outputs();
    e.num_features = x.cols;
    e.feature_names = info_.feature_names;
    if (c.size() != e.num_outputs * (x.cols + 1)) {
      return InternalError("xgboost contributions: expected " +
                           std::to_string(e.num_outputs * (x.cols + 1)) + " values, got " +
                           std::to_string(c.size()));
    }
    for (size_t o = 0; o < e.num_outputs; ++o) {
      const float* g = c.data() + o * (x.cols + 1);
      for (size_t f = 0; f < x.cols; ++f) e.contributions.push_back(g[f]);
      e.bias.push_back(g[x.cols]);
    }
    return e;
  }

  Result<std::string> Save() const override {
    if (!compiled_) {
      return FailedPreconditionError(info_.family +
                                     ": a model fitted for scoring only cannot be saved");
    }
    return SaveEnvelope(info_, json_);
  }

 private:
  size_t num_outputs() const {
    return info_.task == Task::kMulticlass ? info_.num_classes : size_t{1};
  }

  // XGBoost's own prediction of every row: rows x num_outputs().
  Result<std::vector<float>> BoosterPredict(const table::DenseMatrix& x,
                                            XgbPredictType type) const {
    MLPIPE_ASSIGN_OR_RETURN(std::vector<float> v,
                            booster_->PredictDense(x.values.data(), x.rows, x.cols, type));
    if (v.size() != x.rows * num_outputs()) {
      return InternalError(info_.family + ": xgboost predicted " + std::to_string(v.size()) +
                           " values for " + std::to_string(x.rows) + " rows");
    }
    return v;
  }

  ModelInfo info_;
  // XGBoost's booster: the trained one (scoring only), else loaded on first use.
  Result<const XgbBooster*> Booster() const {
    std::call_once(booster_once_, [this] {
      if (booster_.has_value()) return;
      auto loaded = XgbBooster::Load(json_.dump());
      if (loaded.ok()) loaded_status_ = loaded->SetParam("nthread", "1");  // one row at a time
      if (!loaded.ok()) loaded_status_ = loaded.status();
      if (loaded_status_.ok()) booster_.emplace(*std::move(loaded));
    });
    if (!loaded_status_.ok()) return loaded_status_;
    return &*booster_;
  }

  mutable std::optional<XgbBooster> booster_;
  mutable std::once_flag booster_once_;
  mutable Status loaded_status_;
  TreeEnsemblePredictor predictor_;
  core::Json json_;  // XGBoost's JSON model, as saved
  bool compiled_;
};

// Builds the model from XGBoost's JSON model text, checking it against info.
Result<std::unique_ptr<Model>> Assemble(ModelInfo info, core::Json json) {
  MLPIPE_ASSIGN_OR_RETURN(TreeEnsemblePredictor predictor,
                          TreeEnsemblePredictor::FromXgboostJson(json));
  const size_t outputs = info.task == Task::kMulticlass ? info.num_classes : 1;
  const Objective want = info.task == Task::kBinary       ? Objective::kLogistic
                         : info.task == Task::kMulticlass ? Objective::kSoftprob
                                                          : Objective::kSquaredError;
  if (predictor.num_features() != info.feature_names.size() || predictor.num_outputs() != outputs ||
      predictor.objective() != want) {
    return DataLossError(info.family + ": the XGBoost model (" +
                         std::to_string(predictor.num_features()) + " features, " +
                         std::to_string(predictor.num_outputs()) +
                         " outputs) does not match the model's task and features");
  }
  return std::unique_ptr<Model>(
      new XgbModel(std::move(info), std::move(predictor), std::move(json)));
}

std::vector<float> Copy(std::span<const float> s) { return {s.begin(), s.end()}; }

class XgbEstimator final : public Estimator {
 public:
  XgbEstimator(std::string_view name, XgbPlanFn plan) : name_(name), plan_(plan) {}

  std::string_view name() const override { return name_; }

  Result<std::unique_ptr<Model>> Fit(const Dataset& train,
                                     const FitOptions& options) const override {
    MLPIPE_ASSIGN_OR_RETURN(ResolvedParams p, PrepareFit(name_, train, options, true));
    MLPIPE_ASSIGN_OR_RETURN(const XgbTrainPlan plan, plan_(p));
    return FitXgb(MakeInfo(name_, train, options, p), train, options, plan);
  }

  Result<std::unique_ptr<Model>> Load(const core::Json& saved) const override {
    return LoadXgb(saved);
  }

 private:
  std::string_view name_;
  XgbPlanFn plan_;
};

}  // namespace

std::unique_ptr<Estimator> NewXgbEstimator(std::string_view name, XgbPlanFn plan) {
  return std::make_unique<XgbEstimator>(name, plan);
}

std::string XgbNumber(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

Result<std::unique_ptr<Model>> FitXgb(ModelInfo info, const Dataset& train,
                                      const FitOptions& options, const XgbTrainPlan& plan) {
  const table::DenseMatrix& x = *train.features;
  MLPIPE_ASSIGN_OR_RETURN(XgbDMatrix dtrain,
                          XgbDMatrix::FromDense(x.values.data(), x.rows, x.cols, options.nthread));
  MLPIPE_RETURN_IF_ERROR(dtrain.SetFloatInfo("label", Copy(train.labels)));
  if (!train.weights.empty()) {
    MLPIPE_RETURN_IF_ERROR(dtrain.SetFloatInfo("weight", Copy(train.weights)));
  }
  std::unique_ptr<XgbDMatrix> dvalid;
  std::vector<const XgbDMatrix*> cache = {&dtrain};
  const bool early = plan.early_stopping_rounds > 0 && options.validation != nullptr;
  if (early) {
    const table::DenseMatrix& v = *options.validation->features;
    MLPIPE_ASSIGN_OR_RETURN(
        XgbDMatrix dm, XgbDMatrix::FromDense(v.values.data(), v.rows, v.cols, options.nthread));
    dvalid = std::make_unique<XgbDMatrix>(std::move(dm));
    MLPIPE_RETURN_IF_ERROR(dvalid->SetFloatInfo("label", Copy(options.validation->labels)));
    if (!options.validation->weights.empty()) {
      MLPIPE_RETURN_IF_ERROR(dvalid->SetFloatInfo("weight", Copy(options.validation->weights)));
    }
    cache.push_back(dvalid.get());
  }
  MLPIPE_ASSIGN_OR_RETURN(XgbBooster booster, XgbBooster::Create(cache));
  const char* objective = options.task == Task::kBinary       ? "binary:logistic"
                          : options.task == Task::kMulticlass ? "multi:softprob"
                                                              : "reg:squarederror";
  MLPIPE_RETURN_IF_ERROR(booster.SetParam("objective", objective));
  if (options.task == Task::kMulticlass) {
    MLPIPE_RETURN_IF_ERROR(booster.SetParam("num_class", std::to_string(options.num_classes)));
  }
  MLPIPE_RETURN_IF_ERROR(booster.SetParam("tree_method", "hist"));
  // XGBoost's seed is a signed 32-bit int in its JSON config.
  MLPIPE_RETURN_IF_ERROR(booster.SetParam("seed", std::to_string(options.seed % 2147483647u)));
  MLPIPE_RETURN_IF_ERROR(booster.SetParam("nthread", std::to_string(options.nthread)));
  MLPIPE_RETURN_IF_ERROR(booster.SetParam("verbosity", "0"));
  for (const auto& [k, v] : plan.params) MLPIPE_RETURN_IF_ERROR(booster.SetParam(k, v));

  // Early stopping as python-xgboost's EarlyStopping callback: the metric must
  // strictly improve; stop after `early_stopping_rounds` rounds without.
  double best = 0;
  int best_iter = -1;
  for (int iter = 0; iter < plan.rounds; ++iter) {
    MLPIPE_RETURN_IF_ERROR(booster.UpdateOneIter(iter, dtrain));
    if (!early) continue;
    MLPIPE_ASSIGN_OR_RETURN(double score, booster.EvalOneIter(iter, *dvalid, "valid"));
    if (best_iter < 0 || score < best) {
      best = score;
      best_iter = iter;
    } else if (iter - best_iter >= plan.early_stopping_rounds) {
      break;
    }
  }
  if (early) {
    MLPIPE_ASSIGN_OR_RETURN(int rounds, booster.BoostedRounds());
    if (best_iter + 1 < rounds) {
      MLPIPE_ASSIGN_OR_RETURN(booster, booster.Slice(best_iter + 1));
    }
  }
  if (options.for_scoring) {
    return std::unique_ptr<Model>(new XgbModel(std::move(info), std::move(booster)));
  }
  MLPIPE_ASSIGN_OR_RETURN(std::string text, booster.SaveJson());
  MLPIPE_ASSIGN_OR_RETURN(core::Json json, core::ParseJson(text, info.family + " xgboost model"));
  // The model is its saved form: what Save writes and Load reads back, with
  // no training state (the trained booster and its caches are dropped here).
  return Assemble(std::move(info), std::move(json));
}

Result<std::unique_ptr<Model>> LoadXgb(const core::Json& saved) {
  MLPIPE_ASSIGN_OR_RETURN(ModelInfo info, ReadEnvelope(saved));
  const core::Json& json = saved["model"];
  if (!json.is_object()) return DataLossError(info.family + ": \"model\" is not an object");
  return Assemble(std::move(info), json);
}

}  // namespace mlpipe::models
