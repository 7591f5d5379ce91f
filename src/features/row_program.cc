// RowCompiler and RowProgram: the pipeline assembled from its transforms' row
// kernels (row_program.h).
#include "mlpipe/features/row_program.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "row_util.h"

namespace mlpipe::features {

using table::DataType;

Result<RowCompiler::Slot> RowCompiler::Get(std::string_view transform,
                                           std::string_view name) const {
  for (const auto& [n, slot] : bound_) {
    if (n == name) return Slot{slot, types_[slot]};
  }
  std::string names;
  for (const auto& b : bound_) names += (names.empty() ? "" : ", ") + b.first;
  return NotFoundError(fmt::format("{}: no column '{}' (columns: {})", transform, name, names));
}

RowCompiler::Slot RowCompiler::Define(std::string_view name, DataType type) {
  const uint32_t slot = static_cast<uint32_t>(types_.size());
  types_.push_back(type);
  for (auto& b : bound_) {
    if (b.first == name) {
      b.second = slot;
      return {slot, type};
    }
  }
  bound_.emplace_back(std::string(name), slot);
  return {slot, type};
}

void RowCompiler::Remove(const std::vector<std::string>& names) {
  std::erase_if(bound_, [&](const auto& b) {
    return std::find(names.begin(), names.end(), b.first) != names.end();
  });
}

Status RowCompiler::Select(std::string_view transform, const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, uint32_t>> kept;
  for (const auto& n : names) {
    MLPIPE_ASSIGN_OR_RETURN(Slot s, Get(transform, n));
    kept.emplace_back(n, s.index);
  }
  bound_ = std::move(kept);
  return Status::OK();
}

Result<RowProgram> RowProgram::Compile(const FeaturePipeline& pipeline) {
  if (!pipeline.fitted()) {
    return FailedPreconditionError("feature pipeline: not fitted (call FitTransform first)");
  }
  RowProgram p;
  RowCompiler c;
  p.inputs_ = pipeline.input_columns();
  for (const auto& in : p.inputs_) c.Define(in.name, in.type);
  for (size_t i = 0; i < pipeline.size(); ++i) {
    auto k = pipeline.transform(i).CompileRow(c);
    if (!k.ok()) return k.status().WithContext(fmt::format("feature pipeline step {}", i + 1));
    p.kernels_.push_back(std::move(k).value());
  }
  for (const auto& out : pipeline.output_columns()) {
    MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot s, c.Get("feature pipeline", out.name));
    if (!table::IsNumeric(s.type)) {
      return InvalidArgumentError(fmt::format(
          "feature matrix: column '{}' is {} and was not encoded (add one_hot, dummy, ordinal, "
          "target_encode or hash for it, or drop it)",
          out.name, table::DataTypeName(s.type)));
    }
    p.output_slots_.push_back(s.index);
    p.output_types_.push_back(s.type);
  }
  p.num_slots_ = c.num_slots();
  return p;
}

Status RowProgram::Run(RowCell* cells, float* features, size_t row) const {
  for (size_t i = 0; i < kernels_.size(); ++i) {
    Status s = kernels_[i]->Run(cells, row);
    if (!s.ok()) return s.WithContext(fmt::format("feature pipeline step {}", i + 1));
  }
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  for (size_t j = 0; j < output_slots_.size(); ++j) {
    const RowCell& c = cells[output_slots_[j]];
    // As TableToMatrix: int64 cast from the integer, the others from the double.
    features[j] = !c.valid                               ? kNaN
                  : output_types_[j] == DataType::kInt64 ? static_cast<float>(c.i64)
                                                         : static_cast<float>(c.num);
  }
  return Status::OK();
}

namespace internal {

Result<RowCompiler::Slot> RequireSlot(const RowCompiler& compiler, std::string_view transform,
                                      std::string_view name, uint32_t accepted,
                                      std::string_view hint) {
  MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot s, compiler.Get(transform, name));
  if ((TypeBit(s.type) & accepted) == 0) {
    return InvalidArgumentError(fmt::format("{}: column '{}' is {}; {} accepts {} columns{}",
                                            transform, name, table::DataTypeName(s.type), transform,
                                            TypeListText(accepted),
                                            hint.empty() ? "" : fmt::format(" ({})", hint)));
  }
  return s;
}

std::unique_ptr<RowKernel> NoOpRowKernel() {
  struct NoOp final : RowKernel {
    Status Run(RowCell*, size_t) const override { return Status::OK(); }
  };
  return std::make_unique<NoOp>();
}

std::string_view CellText(const RowCell& cell, DataType type, char (&buf)[32]) {
  switch (type) {
    case DataType::kBool:
      return cell.num != 0 ? "true" : "false";
    case DataType::kInt64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), cell.i64);
      return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
    }
    case DataType::kFloat64: {
      const double v = cell.num;
      if (std::isnan(v)) return "nan";
      if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
      auto r = std::to_chars(buf, buf + sizeof(buf), v);
      return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
    }
    case DataType::kCategorical:
    case DataType::kString:
      return cell.text;
  }
  return {};
}

}  // namespace internal
}  // namespace mlpipe::features
