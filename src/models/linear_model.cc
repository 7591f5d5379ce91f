#include "linear_model.h"

#include <cmath>

namespace mlpipe::models {

namespace {

std::string_view LinkName(LinearLink link) {
  switch (link) {
    case LinearLink::kIdentity:
      return "identity";
    case LinearLink::kLogistic:
      return "logistic";
    case LinearLink::kOvrLogistic:
      return "ovr_logistic";
  }
  return "?";
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

class LinearModel final : public Model {
 public:
  LinearModel(ModelInfo info, LinearLink link, std::vector<double> coef,
              std::vector<double> intercepts)
      : info_(std::move(info)),
        link_(link),
        coef_(std::move(coef)),
        intercepts_(std::move(intercepts)) {}

  std::string_view name() const override { return info_.family; }
  Task task() const override { return info_.task; }
  size_t num_classes() const override { return info_.num_classes; }
  const std::vector<std::string>& feature_names() const override { return info_.feature_names; }

  Result<std::vector<double>> PredictMargin(const table::DenseMatrix& x) const override {
    MLPIPE_RETURN_IF_ERROR(CheckColumns(x, info_.feature_names, info_.family));
    MLPIPE_RETURN_IF_ERROR(CheckNoNan(x, info_.family));
    const size_t k = intercepts_.size();
    const size_t n = x.cols;
    std::vector<double> out(x.rows * k);
    for (size_t r = 0; r < x.rows; ++r) {
      const float* row = x.row(r);
      for (size_t o = 0; o < k; ++o) {
        double s = intercepts_[o];
        const double* w = coef_.data() + o * n;
        for (size_t f = 0; f < n; ++f) s += w[f] * static_cast<double>(row[f]);
        out[r * k + o] = s;
      }
    }
    return out;
  }

  Result<Predictions> Predict(const table::DenseMatrix& x) const override {
    MLPIPE_ASSIGN_OR_RETURN(std::vector<double> m, PredictMargin(x));
    Predictions p;
    p.task = info_.task;
    p.rows = x.rows;
    p.num_classes = info_.num_classes;
    switch (link_) {
      case LinearLink::kIdentity:
        p.values = std::move(m);
        return p;
      case LinearLink::kLogistic:
        p.probabilities.resize(2 * x.rows);
        for (size_t r = 0; r < x.rows; ++r) {
          const double p1 = Sigmoid(m[r]);
          p.probabilities[2 * r] = 1.0 - p1;
          p.probabilities[2 * r + 1] = p1;
        }
        break;
      case LinearLink::kOvrLogistic: {
        const size_t k = intercepts_.size();
        p.probabilities.resize(k * x.rows);
        for (size_t r = 0; r < x.rows; ++r) {
          double sum = 0;
          for (size_t o = 0; o < k; ++o) sum += p.probabilities[r * k + o] = Sigmoid(m[r * k + o]);
          for (size_t o = 0; o < k; ++o) p.probabilities[r * k + o] /= sum;
        }
        break;
      }
    }
    FillArgmax(p);
    return p;
  }

  // Predict()'s arithmetic for one row, in the same order.
  Status PredictRow(const float* row, double* out) const override {
    const size_t n = info_.feature_names.size();
    for (size_t f = 0; f < n; ++f) {
      if (std::isnan(row[f])) {
        return InvalidArgumentError(
            info_.family + ": feature '" + info_.feature_names[f] + "' (column " +
            std::to_string(f) + ") is missing (NaN) in row 0; linear models need imputed input");
      }
    }
    const size_t k = intercepts_.size();
    constexpr size_t kMaxOutputs = 64;
    if (k > kMaxOutputs) return Model::PredictRow(row, out);
    double m[kMaxOutputs];
    for (size_t o = 0; o < k; ++o) {
      double s = intercepts_[o];
      const double* w = coef_.data() + o * n;
      for (size_t f = 0; f < n; ++f) s += w[f] * static_cast<double>(row[f]);
      m[o] = s;
    }
    switch (link_) {
      case LinearLink::kIdentity:
        out[0] = m[0];
        break;
      case LinearLink::kLogistic: {
        const double p1 = Sigmoid(m[0]);
        out[0] = 1.0 - p1;
        out[1] = p1;
        break;
      }
      case LinearLink::kOvrLogistic: {
        double sum = 0;
        for (size_t o = 0; o < k; ++o) sum += out[o] = Sigmoid(m[o]);
        for (size_t o = 0; o < k; ++o) out[o] /= sum;
        break;
      }
    }
    return Status::OK();
  }

  Result<Explanation> Explain(const table::DenseMatrix& x, size_t row) const override {
    MLPIPE_RETURN_IF_ERROR(CheckColumns(x, info_.feature_names, info_.family));
    if (row >= x.rows) {
      return OutOfRangeError(info_.family + ": row " + std::to_string(row) + " of " +
                             std::to_string(x.rows));
    }
    table::DenseMatrix one = x.TakeRows({row});
    MLPIPE_RETURN_IF_ERROR(CheckNoNan(one, info_.family));
    Explanation e;
    e.num_outputs = intercepts_.size();
    e.num_features = x.cols;
    e.feature_names = info_.feature_names;
    e.bias = intercepts_;
    for (size_t o = 0; o < e.num_outputs; ++o) {
      for (size_t f = 0; f < x.cols; ++f) {
        e.contributions.push_back(coef_[o * x.cols + f] * static_cast<double>(one.values[f]));
      }
    }
    return e;
  }

  Result<std::string> Save() const override {
    const size_t n = info_.feature_names.size();
    core::Json rows = core::Json::array();
    for (size_t o = 0; o < intercepts_.size(); ++o) {
      rows.push_back(std::vector<double>(coef_.begin() + static_cast<std::ptrdiff_t>(o * n),
                                         coef_.begin() + static_cast<std::ptrdiff_t>((o + 1) * n)));
    }
    core::Json model = {{"link", std::string(LinkName(link_))},
                        {"coefficients", rows},
                        {"intercepts", intercepts_}};
    return SaveEnvelope(info_, model);
  }

 private:
  ModelInfo info_;
  LinearLink link_;
  std::vector<double> coef_;        // outputs x features, row-major
  std::vector<double> intercepts_;  // outputs
};

}  // namespace

std::unique_ptr<Model> MakeLinearModel(ModelInfo info, LinearLink link,
                                       std::vector<double> coefficients,
                                       std::vector<double> intercepts) {
  return std::make_unique<LinearModel>(std::move(info), link, std::move(coefficients),
                                       std::move(intercepts));
}

Result<std::unique_ptr<Model>> LoadLinear(const core::Json& saved) {
  MLPIPE_ASSIGN_OR_RETURN(ModelInfo info, ReadEnvelope(saved));
  const core::Json& m = saved["model"];
  const std::string where = info.family + " model";
  MLPIPE_ASSIGN_OR_RETURN(std::string link_name, core::GetField<std::string>(m, "link", where));
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows, core::GetField<std::vector<std::vector<double>>>(m, "coefficients", where));
  MLPIPE_ASSIGN_OR_RETURN(auto intercepts,
                          core::GetField<std::vector<double>>(m, "intercepts", where));
  LinearLink link = LinearLink::kIdentity;
  if (link_name == "logistic")
    link = LinearLink::kLogistic;
  else if (link_name == "ovr_logistic")
    link = LinearLink::kOvrLogistic;
  else if (link_name != "identity")
    return DataLossError(where + ": unknown link " + link_name);
  const size_t outputs = info.task == Task::kMulticlass ? info.num_classes : 1;
  const LinearLink want = info.task == Task::kBinary       ? LinearLink::kLogistic
                          : info.task == Task::kMulticlass ? LinearLink::kOvrLogistic
                                                           : LinearLink::kIdentity;
  if (link != want || rows.size() != outputs || intercepts.size() != outputs) {
    return DataLossError(where + ": link or number of outputs does not fit the task");
  }
  std::vector<double> coef;
  for (const auto& r : rows) {
    if (r.size() != info.feature_names.size()) {
      return DataLossError(where + ": " + std::to_string(r.size()) + " coefficients for " +
                           std::to_string(info.feature_names.size()) + " features");
    }
    coef.insert(coef.end(), r.begin(), r.end());
  }
  return MakeLinearModel(std::move(info), link, std::move(coef), std::move(intercepts));
}

}  // namespace mlpipe::models
