// hash: the hashing trick. Each value of each listed column is the token
// "<column>=<value>"; its 64-bit FNV-1a hash h picks bucket h mod n_buckets
// (and, with alternate_sign, the sign + when bit 63 of h is 0, - otherwise).
// The buckets are n_buckets float64 columns "<prefix><i>" holding the signed
// counts of the tokens of a row. This is FeatureHasher(input_type="string")
// on those tokens, with FNV-1a instead of sklearn's MurmurHash3; missing
// values add no token. Stateless beyond the resolved column list.
#include <cstdint>

#include <fmt/format.h>

#include "column_util.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;

uint64_t Fnv1a(std::string_view a, std::string_view b) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char ch : s) {
      h ^= ch;
      h *= 1099511628211ull;
    }
  };
  mix(a);
  mix("=");
  mix(b);
  return h;
}

class Hash final : public Transform {
 public:
  std::string_view name() const override { return "hash"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "n_buckets", "alternate_sign", "prefix"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(n_buckets_, core::GetFieldOr<int>(j, "n_buckets", ctx, 32));
    MLPIPE_ASSIGN_OR_RETURN(alternate_sign_,
                            core::GetFieldOr<bool>(j, "alternate_sign", ctx, false));
    MLPIPE_ASSIGN_OR_RETURN(prefix_,
                            core::GetFieldOr<std::string>(j, "prefix", ctx, std::string("hash_")));
    if (n_buckets_ < 1 || n_buckets_ > (1 << 20)) {
      return InvalidArgumentError(ctx + ".n_buckets: expected an integer in [1, 1048576]");
    }
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["n_buckets"] = n_buckets_;
    j["alternate_sign"] = alternate_sign_;
    j["prefix"] = prefix_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    return Status::OK();
  }

  core::Json StateJson() const override { return {{"columns", columns_}}; }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_,
                            ResolveColumns(frame, name(), requested_, kAnyType, kTextTypes, ""));
    if (columns_.empty()) return InvalidArgumentError("hash: no column to encode");
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    const size_t n = frame.num_rows();
    const size_t nb = static_cast<size_t>(n_buckets_);
    std::vector<std::vector<double>> buckets(nb, std::vector<double>(n, 0.0));
    auto add = [&](uint64_t h, size_t row) {
      const double sign = alternate_sign_ && (h >> 63) ? -1.0 : 1.0;
      buckets[h % nb][row] += sign;
    };
    size_t first_pos = frame.num_columns();
    for (const auto& col : columns_) {
      MLPIPE_ASSIGN_OR_RETURN(const Column* c, RequireColumn(frame, name(), col, kAnyType, ""));
      first_pos = std::min(first_pos, static_cast<size_t>(frame.Find(col)));
      const auto& valid = c->validity();
      if (c->type() == table::DataType::kCategorical) {
        std::vector<uint64_t> per_category(c->categories().size());
        for (size_t k = 0; k < per_category.size(); ++k) {
          per_category[k] = Fnv1a(col, c->categories()[k]);
        }
        const auto& codes = c->codes();
        for (size_t i = 0; i < n; ++i) {
          if (valid[i]) add(per_category[static_cast<size_t>(codes[i])], i);
        }
      } else {
        char buf[32];
        for (size_t i = 0; i < n; ++i) {
          if (valid[i]) add(Fnv1a(col, TextOf(*c, i, buf)), i);
        }
      }
    }
    frame.Remove(columns_);
    first_pos = std::min(first_pos, frame.num_columns());
    for (size_t b = 0; b < nb; ++b) {
      MLPIPE_RETURN_IF_ERROR(frame.Insert(
          first_pos + b, Column::Float64(fmt::format("{}{}", prefix_, b), std::move(buckets[b]))));
    }
    return Status::OK();
  }

 public:
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    auto kernel = std::make_unique<RowHash>();
    kernel->alternate_sign = alternate_sign_;
    for (const auto& col : columns_) {
      MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot in,
                              RequireSlot(compiler, name(), col, kAnyType, ""));
      kernel->inputs.push_back({col, in.index, in.type});
    }
    compiler.Remove(columns_);
    for (int b = 0; b < n_buckets_; ++b) {
      kernel->buckets.push_back(
          compiler.Define(fmt::format("{}{}", prefix_, b), table::DataType::kFloat64).index);
    }
    return std::unique_ptr<RowKernel>(std::move(kernel));
  }

 private:
  struct RowHash final : RowKernel {
    struct Input {
      std::string column;
      uint32_t in;
      table::DataType type;
    };
    std::vector<Input> inputs;
    std::vector<uint32_t> buckets;
    bool alternate_sign = false;
    Status Run(RowCell* cells, size_t) const override {
      for (uint32_t b : buckets) {
        cells[b].valid = true;
        cells[b].num = 0;
      }
      for (const Input& in : inputs) {
        const RowCell& a = cells[in.in];
        if (!a.valid) continue;
        char buf[32];
        const uint64_t h = Fnv1a(in.column, CellText(a, in.type, buf));
        const double sign = alternate_sign && (h >> 63) ? -1.0 : 1.0;
        cells[buckets[h % buckets.size()]].num += sign;
      }
      return Status::OK();
    }
  };

  std::optional<std::vector<std::string>> requested_;
  int n_buckets_ = 32;
  bool alternate_sign_ = false;
  std::string prefix_ = "hash_";
  std::vector<std::string> columns_;
};

}  // namespace

std::unique_ptr<Transform> NewHash() { return std::make_unique<Hash>(); }

}  // namespace mlpipe::features::internal
