#include "mlpipe/features/pipeline.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace mlpipe::features {
namespace {

using table::Column;
using table::DataType;

core::Json ColumnsJson(const std::vector<ColumnSpec>& cols) {
  core::Json j = core::Json::array();
  for (const auto& c : cols) j.push_back({{"name", c.name}, {"type", table::DataTypeName(c.type)}});
  return j;
}

Result<std::vector<ColumnSpec>> ColumnsFromJson(const core::Json& j, const std::string& where) {
  if (!j.is_array()) return InvalidArgumentError(where + ": expected a list of columns");
  std::vector<ColumnSpec> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string ctx = fmt::format("{}[{}]", where, i);
    MLPIPE_ASSIGN_OR_RETURN(std::string name, core::GetField<std::string>(j[i], "name", ctx));
    MLPIPE_ASSIGN_OR_RETURN(std::string type, core::GetField<std::string>(j[i], "type", ctx));
    auto t = table::ParseDataType(type);
    if (!t.ok()) return t.status().WithContext(ctx + ".type");
    out.push_back({std::move(name), *t});
  }
  return out;
}

std::vector<ColumnSpec> SpecsOf(const Frame& f) {
  std::vector<ColumnSpec> out;
  for (const auto& c : f.columns()) out.push_back({c.name(), c.type()});
  return out;
}

// Serving data may carry an int64 column as float64 (or a categorical as
// string): the transforms accept either, so only the kind must agree.
bool SameKind(DataType a, DataType b) {
  return a == b ||
         (table::IsNumeric(a) && table::IsNumeric(b) && a != DataType::kBool &&
          b != DataType::kBool) ||
         (!table::IsNumeric(a) && !table::IsNumeric(b));
}

}  // namespace

Result<FeaturePipeline> FeaturePipeline::FromJson(const core::Json& j) {
  FeaturePipeline p;
  const core::Json* list = &j;
  bool fitted = false;
  if (j.is_object()) {
    const std::string ctx = "feature pipeline";
    MLPIPE_ASSIGN_OR_RETURN(std::string name,
                            core::GetFieldOr<std::string>(j, "name", ctx, "feature_pipeline"));
    if (name != "feature_pipeline") {
      return InvalidArgumentError(
          fmt::format("{}.name: expected \"feature_pipeline\", found \"{}\"", ctx, name));
    }
    MLPIPE_ASSIGN_OR_RETURN(int version,
                            core::GetFieldOr<int>(j, "format_version", ctx, kFormatVersion));
    if (version != kFormatVersion) {
      return InvalidArgumentError(
          fmt::format("{}.format_version: {} is not supported", ctx, version));
    }
    MLPIPE_ASSIGN_OR_RETURN(p.seed_, core::GetFieldOr<uint64_t>(j, "seed", ctx, 0));
    MLPIPE_ASSIGN_OR_RETURN(fitted, core::GetFieldOr<bool>(j, "fitted", ctx, false));
    MLPIPE_ASSIGN_OR_RETURN(p.target_name_,
                            core::GetFieldOr<std::string>(j, "target", ctx, std::string()));
    if (fitted) {
      MLPIPE_ASSIGN_OR_RETURN(p.inputs_,
                              ColumnsFromJson(j.value("inputs", core::Json()), ctx + ".inputs"));
      MLPIPE_ASSIGN_OR_RETURN(p.outputs_,
                              ColumnsFromJson(j.value("outputs", core::Json()), ctx + ".outputs"));
    }
    auto it = j.find("transforms");
    if (it == j.end()) return InvalidArgumentError(ctx + ".transforms: missing required key");
    list = &*it;
  }
  if (!list->is_array()) {
    return InvalidArgumentError("feature pipeline: expected a list of transforms");
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string ctx = fmt::format("transforms[{}]", i);
    MLPIPE_ASSIGN_OR_RETURN(auto t, TransformFromJson((*list)[i], ctx));
    if (t->fitted() != fitted) {
      return InvalidArgumentError(
          fmt::format("{} ({}): {}", ctx, t->name(),
                      fitted ? "the pipeline is fitted but this transform has no state"
                             : "has a fitted state but the pipeline is not marked fitted"));
    }
    p.transforms_.push_back(std::move(t));
  }
  p.fitted_ = fitted;
  return p;
}

core::Json FeaturePipeline::ToJson() const {
  core::Json j;
  j["name"] = "feature_pipeline";
  j["format_version"] = kFormatVersion;
  j["seed"] = seed_;
  j["fitted"] = fitted_;
  if (!target_name_.empty()) j["target"] = target_name_;
  if (fitted_) {
    j["inputs"] = ColumnsJson(inputs_);
    j["outputs"] = ColumnsJson(outputs_);
  }
  j["transforms"] = core::Json::array();
  for (const auto& t : transforms_) j["transforms"].push_back(t->ToJson());
  return j;
}

void FeaturePipeline::Add(std::unique_ptr<features::Transform> transform) {
  transforms_.push_back(std::move(transform));
}

Result<table::Table> FeaturePipeline::FitTransform(const table::Table& train,
                                                   const Column* target) {
  if (fitted_) {
    return FailedPreconditionError(
        "feature pipeline: already fitted (load the spec again to refit)");
  }
  if (target != nullptr && target->size() != train.num_rows()) {
    return InvalidArgumentError(
        fmt::format("feature pipeline: the target '{}' has {} rows, the "
                    "training table {}",
                    target->name(), target->size(), train.num_rows()));
  }
  Frame frame = Frame::FromTable(train);
  target_name_ = target != nullptr ? target->name() : std::string();
  if (target != nullptr) frame.Remove({target->name()});
  inputs_ = SpecsOf(frame);
  FitContext ctx;
  ctx.target = target;
  ctx.seed = seed_;
  for (size_t i = 0; i < transforms_.size(); ++i) {
    Status s = transforms_[i]->FitApply(frame, ctx);
    if (!s.ok()) return s.WithContext(fmt::format("feature pipeline step {}", i + 1));
  }
  outputs_ = SpecsOf(frame);
  fitted_ = true;
  return std::move(frame).ToTable();
}

Status FeaturePipeline::CheckInputs(const table::Table& data) const {
  for (const auto& in : inputs_) {
    const Column* c = data.FindColumn(in.name);
    if (c == nullptr) {
      return NotFoundError(fmt::format(
          "feature pipeline: the input has no column '{}' (the pipeline was fitted on: {})",
          in.name, [&] {
            std::string s;
            for (const auto& i : inputs_) s += (s.empty() ? "" : ", ") + i.name;
            return s;
          }()));
    }
    if (!SameKind(c->type(), in.type)) {
      return InvalidArgumentError(
          fmt::format("feature pipeline: column '{}' is {} but the pipeline was fitted on {}",
                      in.name, table::DataTypeName(c->type()), table::DataTypeName(in.type)));
    }
  }
  return Status::OK();
}

Result<table::Table> FeaturePipeline::Transform(const table::Table& data) const {
  if (!fitted_) {
    return FailedPreconditionError("feature pipeline: not fitted (call FitTransform first)");
  }
  MLPIPE_RETURN_IF_ERROR(CheckInputs(data));
  Frame frame;
  for (const auto& in : inputs_) {
    MLPIPE_RETURN_IF_ERROR(frame.Insert(frame.num_columns(), *data.FindColumn(in.name)));
  }
  for (size_t i = 0; i < transforms_.size(); ++i) {
    Status s = transforms_[i]->Apply(frame);
    if (!s.ok()) return s.WithContext(fmt::format("feature pipeline step {}", i + 1));
  }
  std::vector<std::string> names;
  for (const auto& o : outputs_) names.push_back(o.name);
  MLPIPE_RETURN_IF_ERROR(frame.Select("feature pipeline", names));
  return std::move(frame).ToTable();
}

Result<table::DenseMatrix> FeaturePipeline::ToMatrix(const table::Table& data) const {
  MLPIPE_ASSIGN_OR_RETURN(table::Table t, Transform(data));
  return TableToMatrix(t);
}

Result<table::DenseMatrix> FeaturePipeline::TableToMatrix(const table::Table& t) {
  for (const auto& c : t.columns()) {
    if (!table::IsNumeric(c.type())) {
      return InvalidArgumentError(fmt::format(
          "feature matrix: column '{}' is {} and was not encoded (add one_hot, dummy, ordinal, "
          "target_encode or hash for it, or drop it)",
          c.name(), table::DataTypeName(c.type())));
    }
  }
  const size_t rows = t.num_rows(), cols = t.num_columns();
  table::DenseMatrix m(rows, cols);
  m.names = t.ColumnNames();
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  constexpr size_t kBlock = 2048;  // rows per block: the block of the matrix stays in cache
  for (size_t r0 = 0; r0 < rows; r0 += kBlock) {
    const size_t r1 = std::min(rows, r0 + kBlock);
    for (size_t j = 0; j < cols; ++j) {
      const Column& c = t.column(j);
      const auto& valid = c.validity();
      float* out = m.values.data() + j;
      auto fill = [&](const auto& v) {
        for (size_t r = r0; r < r1; ++r) {
          out[r * cols] = valid[r] ? static_cast<float>(v[r]) : kNaN;
        }
      };
      switch (c.type()) {
        case DataType::kBool:
          fill(c.bools());
          break;
        case DataType::kInt64:
          fill(c.int64s());
          break;
        default:
          fill(c.float64s());
          break;
      }
    }
  }
  return m;
}

}  // namespace mlpipe::features
