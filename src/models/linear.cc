// linear (ordinary least squares) and ridge, solved with Eigen in double.
//
// Both centre X and y with the (weighted) means and fit the intercept as
// mean(y) - mean(X) . w, so the intercept is never penalised — as
// scikit-learn's LinearRegression and Ridge do. Weights scale the centred
// rows by sqrt(weight). OLS uses a complete orthogonal decomposition, which
// gives the minimum-norm solution when columns are collinear (as lstsq
// does); ridge solves (X'X + alpha I) w = X'y by LDLT.
#include <Eigen/Dense>

#include <cmath>

#include "families.h"
#include "linear_model.h"

namespace mlpipe::models {

namespace {

Result<std::unique_ptr<Model>> FitLeastSquares(std::string_view family, const Dataset& train,
                                               const FitOptions& options, bool ridge) {
  MLPIPE_ASSIGN_OR_RETURN(ResolvedParams p, PrepareFit(family, train, options, false));
  const table::DenseMatrix& x = *train.features;
  const Eigen::Index rows = static_cast<Eigen::Index>(x.rows);
  const Eigen::Index cols = static_cast<Eigen::Index>(x.cols);
  Eigen::MatrixXd a(rows, cols);
  Eigen::VectorXd y(rows);
  Eigen::VectorXd w = Eigen::VectorXd::Ones(rows);
  for (Eigen::Index r = 0; r < rows; ++r) {
    const float* row = x.row(static_cast<size_t>(r));
    for (Eigen::Index c = 0; c < cols; ++c) a(r, c) = row[c];
    y(r) = train.labels[static_cast<size_t>(r)];
    if (!train.weights.empty()) w(r) = train.weights[static_cast<size_t>(r)];
  }
  const double wsum = w.sum();
  const Eigen::RowVectorXd x_mean = (w.transpose() * a) / wsum;
  const double y_mean = w.dot(y) / wsum;
  const Eigen::VectorXd sw = w.cwiseSqrt();
  a = (a.rowwise() - x_mean).array().colwise() * sw.array();
  y = (y.array() - y_mean) * sw.array();

  Eigen::VectorXd coef;
  if (ridge) {
    MLPIPE_ASSIGN_OR_RETURN(const double alpha, p.Float("alpha"));
    Eigen::MatrixXd gram = a.transpose() * a;
    gram.diagonal().array() += alpha;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(gram);
    if (ldlt.info() != Eigen::Success) return InternalError("ridge: factorisation failed");
    coef = ldlt.solve(a.transpose() * y);
  } else {
    Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(a);
    coef = cod.solve(y);
  }
  if (!coef.allFinite()) {
    return InvalidArgumentError(std::string(family) + ": the solution is not finite");
  }
  const double intercept = y_mean - x_mean.dot(coef);
  std::vector<double> c(coef.data(), coef.data() + coef.size());
  return MakeLinearModel(MakeInfo(family, train, options, p), LinearLink::kIdentity, std::move(c),
                         {intercept});
}

class LinearEstimator final : public Estimator {
 public:
  explicit LinearEstimator(bool ridge) : ridge_(ridge) {}
  std::string_view name() const override { return ridge_ ? "ridge" : "linear"; }
  Result<std::unique_ptr<Model>> Fit(const Dataset& train,
                                     const FitOptions& options) const override {
    return FitLeastSquares(name(), train, options, ridge_);
  }
  Result<std::unique_ptr<Model>> Load(const core::Json& saved) const override {
    return LoadLinear(saved);
  }

 private:
  bool ridge_;
};

}  // namespace

ModelFamily LinearFamily() {
  return {
      .name = "linear",
      .description = "ordinary least squares (Eigen)",
      .hyperparameters = {},
      .interpretable = true,
      .tasks = {Task::kRegression},
      .factory = [] { return std::unique_ptr<Estimator>(new LinearEstimator(false)); },
  };
}

ModelFamily RidgeFamily() {
  return {
      .name = "ridge",
      .description = "least squares with an L2 penalty on the coefficients (Eigen)",
      .hyperparameters = {{"alpha",
                           ParamType::kFloat,
                           "L2 penalty strength",
                           1,
                           1e-6,
                           1e6,
                           true,
                           {},
                           "",
                           0.001,
                           1000.0}},
      .interpretable = true,
      .tasks = {Task::kRegression},
      .factory = [] { return std::unique_ptr<Estimator>(new LinearEstimator(true)); },
  };
}

}  // namespace mlpipe::models
