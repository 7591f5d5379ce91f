// logreg: L1- or L2-regularised logistic regression by liblinear (primal
// solvers L2R_LR and L1R_LR, the intercept as a regularised bias feature of
// value 1, as scikit-learn's solver='liblinear' does). Multiclass is
// one-vs-rest (liblinear's scheme); probabilities are the per-class sigmoids
// normalised to sum 1, as scikit-learn's predict_proba for OvR.
//
// liblinear 2.3 (Debian) has no per-row weights, so logreg refuses them;
// class_weight=balanced reweights classes through liblinear's per-class C.
#include <linear.h>

#include <cstdlib>
#include <mutex>

#include "families.h"
#include "linear_model.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "logreg";

void Silent(const char*) {}

struct ModelDeleter {
  void operator()(model* m) const { free_and_destroy_model(&m); }
};

// liblinear's L1 solver shuffles with rand(): an L1 fit holds this lock and
// seeds rand() from the run, so fits are reproducible and do not race. The L2
// solver (trust-region Newton) draws nothing at random and runs unlocked, so
// a search's L2 trials use every thread.
std::mutex& LiblinearMutex() {
  static std::mutex mu;
  return mu;
}

class LogregEstimator final : public Estimator {
 public:
  std::string_view name() const override { return kName; }

  Result<std::unique_ptr<Model>> Fit(const Dataset& train,
                                     const FitOptions& options) const override {
    MLPIPE_ASSIGN_OR_RETURN(ResolvedParams p, PrepareFit(kName, train, options, false));
    if (!train.weights.empty()) {
      return InvalidArgumentError(
          "logreg: per-row weights are not supported by liblinear; use class_weight");
    }
    const table::DenseMatrix& x = *train.features;
    const int n = static_cast<int>(x.cols);
    const int k = options.num_classes;

    // Sparse rows: the non-zero values (1-based indices), the bias feature
    // n + 1, then the terminator.
    std::vector<feature_node> nodes;
    std::vector<size_t> starts;
    for (size_t r = 0; r < x.rows; ++r) {
      starts.push_back(nodes.size());
      const float* row = x.row(r);
      for (int c = 0; c < n; ++c) {
        if (row[c] != 0.0f) nodes.push_back({c + 1, static_cast<double>(row[c])});
      }
      nodes.push_back({n + 1, 1.0});
      nodes.push_back({-1, 0.0});
    }
    std::vector<feature_node*> rows(x.rows);
    for (size_t r = 0; r < x.rows; ++r) rows[r] = nodes.data() + starts[r];
    std::vector<double> y(train.labels.begin(), train.labels.end());

    problem prob{};
    prob.l = static_cast<int>(x.rows);
    prob.n = n + 1;
    prob.y = y.data();
    prob.x = rows.data();
    prob.bias = 1.0;

    std::vector<int> weight_label;
    std::vector<double> weight;
    MLPIPE_ASSIGN_OR_RETURN(const std::string class_weight, p.Choice("class_weight"));
    MLPIPE_ASSIGN_OR_RETURN(const std::string penalty, p.Choice("penalty"));
    MLPIPE_ASSIGN_OR_RETURN(const double tol, p.Float("tol"));
    MLPIPE_ASSIGN_OR_RETURN(const double c_value, p.Float("C"));
    if (class_weight == "balanced") {
      // scikit-learn's "balanced": n_samples / (n_classes * count(class)).
      std::vector<double> count(static_cast<size_t>(k), 0.0);
      for (float v : train.labels) count[static_cast<size_t>(v)] += 1;
      for (int c = 0; c < k; ++c) {
        weight_label.push_back(c);
        weight.push_back(static_cast<double>(x.rows) / (k * count[static_cast<size_t>(c)]));
      }
    }
    parameter param{};
    param.solver_type = penalty == "l1" ? L1R_LR : L2R_LR;
    param.eps = tol;
    param.C = c_value;
    param.nr_weight = static_cast<int>(weight.size());
    param.weight_label = weight_label.empty() ? nullptr : weight_label.data();
    param.weight = weight.empty() ? nullptr : weight.data();
    param.p = 0.1;
    param.init_sol = nullptr;
    if (const char* err = check_parameter(&prob, &param)) {
      return InvalidArgumentError(std::string("logreg: liblinear: ") + err);
    }

    static std::once_flag quiet;
    std::call_once(quiet, [] { set_print_string_function(&Silent); });
    std::unique_ptr<model, ModelDeleter> m;
    if (param.solver_type == L1R_LR) {
      std::lock_guard<std::mutex> lock(LiblinearMutex());
      std::srand(static_cast<unsigned>(options.seed % 2147483647u));
      m.reset(::train(&prob, &param));
    } else {
      m.reset(::train(&prob, &param));
    }
    if (m == nullptr) return InternalError("logreg: liblinear returned no model");

    std::vector<int> labels(static_cast<size_t>(get_nr_class(m.get())));
    get_labels(m.get(), labels.data());
    const int outputs = k == 2 ? 1 : k;
    std::vector<double> coef;
    std::vector<double> intercepts;
    for (int o = 0; o < outputs; ++o) {
      const int cls = k == 2 ? 1 : o;  // binary: the margin of class 1
      int idx = -1;
      for (size_t j = 0; j < labels.size(); ++j) {
        if (labels[j] == cls) idx = static_cast<int>(j);
      }
      if (idx < 0)
        return InternalError("logreg: liblinear model lacks class " + std::to_string(cls));
      for (int f = 0; f < n; ++f) coef.push_back(get_decfun_coef(m.get(), f + 1, idx));
      intercepts.push_back(get_decfun_bias(m.get(), idx));
    }
    return MakeLinearModel(MakeInfo(kName, train, options, p),
                           k == 2 ? LinearLink::kLogistic : LinearLink::kOvrLogistic,
                           std::move(coef), std::move(intercepts));
  }

  Result<std::unique_ptr<Model>> Load(const core::Json& saved) const override {
    return LoadLinear(saved);
  }
};

}  // namespace

ModelFamily LogregFamily() {
  using T = ParamType;
  return {
      .name = std::string(kName),
      .description = "logistic regression, L1 or L2 (liblinear); one-vs-rest for multiclass",
      .hyperparameters =
          {
              {"C",
               T::kFloat,
               "inverse regularisation strength",
               1,
               1e-4,
               1e4,
               true,
               {},
               "",
               0.001,
               100.0},
              {"penalty", T::kCategorical, "regularisation", 0, 0, 0, false, {"l2", "l1"}, "l2"},
              {"class_weight",
               T::kCategorical,
               "balanced: weight classes by n / (k * count)",
               0,
               0,
               0,
               false,
               {"none", "balanced"},
               "none"},
              {"tol",
               T::kFloat,
               "stopping tolerance of the solver",
               1e-4,
               1e-10,
               0.1,
               true,
               {},
               ""},
          },
      .interpretable = true,
      .tasks = {Task::kBinary, Task::kMulticlass},
      .factory = [] { return std::unique_ptr<Estimator>(new LogregEstimator()); },
  };
}

}  // namespace mlpipe::models
