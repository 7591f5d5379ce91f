// pca: principal components of centred numeric columns (the covariance
// matrix with n - 1 in the denominator, as sklearn's explained_variance_).
// This is the only file that includes Eigen; exceptions are caught here.
//
// Each component's sign is fixed so that its largest-magnitude loading is
// positive (sklearn flips by the scores instead: compare up to sign). The
// inputs may not be missing at fit time (impute first); a row with a missing
// input gives missing components.
#include <cmath>
#include <exception>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "column_util.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;

class Pca final : public Transform {
 public:
  std::string_view name() const override { return "pca"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "n_components", "prefix"};
  }
  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(n_components_, core::GetFieldOr<int>(j, "n_components", ctx, 0));
    MLPIPE_ASSIGN_OR_RETURN(prefix_,
                            core::GetFieldOr<std::string>(j, "prefix", ctx, std::string("pc")));
    if (n_components_ < 0) {
      return InvalidArgumentError(ctx + ".n_components: expected >= 1, or 0 for all");
    }
    return Status::OK();
  }
  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["n_components"] = n_components_;
    j["prefix"] = prefix_;
    return j;
  }
  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(mean_, core::GetField<std::vector<double>>(s, "mean", ctx));
    MLPIPE_ASSIGN_OR_RETURN(components_,
                            core::GetField<std::vector<std::vector<double>>>(s, "components", ctx));
    MLPIPE_ASSIGN_OR_RETURN(explained_variance_,
                            core::GetField<std::vector<double>>(s, "explained_variance", ctx));
    if (mean_.size() != columns_.size()) {
      return InvalidArgumentError(ctx + ".mean: expected one value per column");
    }
    for (const auto& c : components_) {
      if (c.size() != columns_.size()) {
        return InvalidArgumentError(ctx + ".components: expected one loading per column");
      }
    }
    return Status::OK();
  }
  core::Json StateJson() const override {
    return {{"columns", columns_},
            {"mean", mean_},
            {"components", components_},
            {"explained_variance", explained_variance_}};
  }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, ResolveColumns(frame, name(), requested_, kNumericTypes,
                                                     kInt64Bit | kFloat64Bit, "encode it first"));
    const size_t d = columns_.size();
    const size_t n = frame.num_rows();
    if (d == 0) return InvalidArgumentError("pca: no numeric column to project");
    if (n < 2) return InvalidArgumentError("pca: needs at least 2 training rows");
    const size_t k = n_components_ == 0 ? d : static_cast<size_t>(n_components_);
    if (k > d) {
      return InvalidArgumentError(
          fmt::format("pca: n_components {} exceeds the {} input columns", k, d));
    }
    std::vector<std::vector<double>> x;
    for (const auto& col : columns_) {
      const Column& c = frame.column(static_cast<size_t>(frame.Find(col)));
      if (c.null_count() > 0) {
        return InvalidArgumentError(fmt::format(
            "pca: column '{}' has {} missing values (impute it first)", col, c.null_count()));
      }
      x.push_back(ValuesOrZero(c));
    }
    try {
      mean_.assign(d, 0.0);
      for (size_t a = 0; a < d; ++a) {
        for (double v : x[a]) mean_[a] += v;
        mean_[a] /= static_cast<double>(n);
        for (double& v : x[a]) v -= mean_[a];
      }
      Eigen::MatrixXd cov(d, d);
      for (size_t a = 0; a < d; ++a) {
        for (size_t b = 0; b <= a; ++b) {
          double s = 0;
          for (size_t i = 0; i < n; ++i) s += x[a][i] * x[b][i];
          cov(a, b) = cov(b, a) = s / static_cast<double>(n - 1);
        }
      }
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
      if (eig.info() != Eigen::Success) {
        return InternalError("pca: the eigen decomposition did not converge");
      }
      components_.clear();
      explained_variance_.clear();
      for (size_t j = 0; j < k; ++j) {
        const Eigen::Index col = static_cast<Eigen::Index>(d - 1 - j);  // descending
        std::vector<double> v(d);
        size_t arg = 0;
        for (size_t a = 0; a < d; ++a) {
          v[a] = eig.eigenvectors()(static_cast<Eigen::Index>(a), col);
          if (std::abs(v[a]) > std::abs(v[arg])) arg = a;
        }
        if (v[arg] < 0) {
          for (double& e : v) e = -e;
        }
        components_.push_back(std::move(v));
        explained_variance_.push_back(std::max(0.0, eig.eigenvalues()(col)));
      }
    } catch (const std::exception& e) {
      return InternalError(fmt::format("pca: {}", e.what()));
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    const size_t n = frame.num_rows();
    const size_t d = columns_.size();
    std::vector<std::vector<double>> out(components_.size(), std::vector<double>(n, 0.0));
    std::vector<uint8_t> valid(n, 1);
    size_t first_pos = frame.num_columns();
    for (size_t a = 0; a < d; ++a) {
      MLPIPE_ASSIGN_OR_RETURN(const Column* c, RequireColumn(frame, name(), columns_[a],
                                                             kNumericTypes, "encode it first"));
      first_pos = std::min(first_pos, static_cast<size_t>(frame.Find(columns_[a])));
      const std::vector<double> v = ValuesOrZero(*c);
      const auto& cv = c->validity();
      for (size_t i = 0; i < n; ++i) valid[i] &= cv[i];
      for (size_t j = 0; j < components_.size(); ++j) {
        const double w = components_[j][a];
        double* o = out[j].data();
        for (size_t i = 0; i < n; ++i) o[i] += (v[i] - mean_[a]) * w;
      }
    }
    frame.Remove(columns_);
    first_pos = std::min(first_pos, frame.num_columns());
    for (size_t j = 0; j < out.size(); ++j) {
      MLPIPE_RETURN_IF_ERROR(frame.Insert(
          first_pos + j,
          Column::Float64(fmt::format("{}{}", prefix_, j + 1), std::move(out[j]), valid)));
    }
    return Status::OK();
  }

 public:
  // Accumulates each component over the inputs in column order, as DoApply
  // does, so the sums are the same doubles.
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    auto kernel = std::make_unique<RowPca>();
    for (const auto& col : columns_) {
      MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot in,
                              RequireSlot(compiler, name(), col, kNumericTypes, "encode it first"));
      kernel->in.push_back(in.index);
    }
    kernel->mean = mean_;
    kernel->components = components_;
    compiler.Remove(columns_);
    for (size_t j = 0; j < components_.size(); ++j) {
      kernel->out.push_back(
          compiler.Define(fmt::format("{}{}", prefix_, j + 1), table::DataType::kFloat64).index);
    }
    return std::unique_ptr<RowKernel>(std::move(kernel));
  }

 private:
  struct RowPca final : RowKernel {
    std::vector<uint32_t> in, out;
    std::vector<double> mean;
    std::vector<std::vector<double>> components;
    Status Run(RowCell* cells, size_t) const override {
      bool valid = true;
      for (uint32_t i : in) valid = valid && cells[i].valid;
      for (size_t j = 0; j < components.size(); ++j) {
        double o = 0.0;
        for (size_t a = 0; a < in.size(); ++a) {
          const RowCell& c = cells[in[a]];
          o += ((c.valid ? c.num : 0.0) - mean[a]) * components[j][a];
        }
        cells[out[j]].valid = valid;
        cells[out[j]].num = o;
      }
      return Status::OK();
    }
  };

  std::optional<std::vector<std::string>> requested_;
  int n_components_ = 0;
  std::string prefix_ = "pc";
  std::vector<std::string> columns_;
  std::vector<double> mean_;
  std::vector<std::vector<double>> components_;  // k x d
  std::vector<double> explained_variance_;
};

}  // namespace

std::unique_ptr<Transform> NewPca() { return std::make_unique<Pca>(); }

}  // namespace mlpipe::features::internal
