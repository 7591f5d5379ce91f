// Loading a bundle into a handle, and what the handle tells about the model:
// task, classes, input schema, model features.
#include <fmt/format.h>

#include "handle.h"
#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/env.h"

namespace mlpipe::capi {
namespace {

using table::DataType;

Status Wrap(Result<std::unique_ptr<bundle::Predictor>> predictor, mlpipe_model** out) {
  if (!predictor.ok()) return predictor.status();
  auto model = std::make_unique<mlpipe_model>();
  model->predictor = std::move(*predictor);
  const auto& columns = model->predictor->bundle().schema.columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    model->column_names.push_back(columns[i].name);
    model->column_set.insert(columns[i].name);
    (table::IsNumeric(columns[i].type) ? model->numeric_columns : model->categorical_columns)
        .push_back(i);
  }
  *out = model.release();
  return Status::OK();
}

Status Index(size_t index, size_t size, const char* what) {
  if (index < size) return Status::OK();
  return OutOfRangeError(fmt::format("{} index {} is past the model's {} {}", what, index, size,
                                     std::string(what) + (size == 1 ? "" : "s")));
}

const profile::Schema& SchemaOf(const mlpipe_model* m) { return m->predictor->bundle().schema; }

int TypeCode(DataType type) {
  switch (type) {
    case DataType::kBool:
      return MLPIPE_TYPE_BOOL;
    case DataType::kInt64:
      return MLPIPE_TYPE_INT64;
    case DataType::kFloat64:
      return MLPIPE_TYPE_FLOAT64;
    case DataType::kCategorical:
      return MLPIPE_TYPE_CATEGORICAL;
    case DataType::kString:
      return MLPIPE_TYPE_STRING;
  }
  return MLPIPE_TYPE_STRING;
}

}  // namespace
}  // namespace mlpipe::capi

using mlpipe::Status;
using mlpipe::capi::Guard;
using mlpipe::capi::NotNull;

extern "C" {

int mlpipe_model_load_file(const char* path, mlpipe_model** out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(path, "path"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = nullptr;
    return mlpipe::capi::Wrap(
        mlpipe::bundle::Predictor::FromFile(mlpipe::core::Env::Default(), path), out);
  });
}

int mlpipe_model_load_bytes(const void* data, size_t size, mlpipe_model** out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = nullptr;
    if (size > 0) MLPIPE_RETURN_IF_ERROR(NotNull(data, "data"));
    const std::string_view bytes(static_cast<const char*>(data), size);
    MLPIPE_ASSIGN_OR_RETURN(mlpipe::bundle::ModelBundle b,
                            mlpipe::bundle::DecodeBundle(bytes, "bundle bytes"));
    return mlpipe::capi::Wrap(mlpipe::bundle::Predictor::Create(std::move(b)), out);
  });
}

int mlpipe_model_free(mlpipe_model* model) {
  return Guard([&]() -> Status {
    delete model;
    return Status::OK();
  });
}

int mlpipe_model_task(const mlpipe_model* model, int* out_task) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out_task, "out_task"));
    switch (model->predictor->bundle().task) {
      case mlpipe::models::Task::kBinary:
        *out_task = MLPIPE_TASK_BINARY;
        break;
      case mlpipe::models::Task::kMulticlass:
        *out_task = MLPIPE_TASK_MULTICLASS;
        break;
      case mlpipe::models::Task::kRegression:
        *out_task = MLPIPE_TASK_REGRESSION;
        break;
    }
    return Status::OK();
  });
}

int mlpipe_model_num_classes(const mlpipe_model* model, size_t* out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    const auto& b = model->predictor->bundle();
    *out = b.task == mlpipe::models::Task::kRegression ? 0 : b.classes.size();
    return Status::OK();
  });
}

int mlpipe_model_class_name(const mlpipe_model* model, size_t index, const char** out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    const auto& b = model->predictor->bundle();
    const size_t n = b.task == mlpipe::models::Task::kRegression ? 0 : b.classes.size();
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::Index(index, n, "class"));
    *out = b.classes[index].c_str();
    return Status::OK();
  });
}

int mlpipe_model_num_columns(const mlpipe_model* model, size_t* out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = mlpipe::capi::SchemaOf(model).columns.size();
    return Status::OK();
  });
}

int mlpipe_model_column(const mlpipe_model* model, size_t index, const char** out_name,
                        int* out_type) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    const auto& columns = mlpipe::capi::SchemaOf(model).columns;
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::Index(index, columns.size(), "column"));
    if (out_name != nullptr) *out_name = columns[index].name.c_str();
    if (out_type != nullptr) *out_type = mlpipe::capi::TypeCode(columns[index].type);
    return Status::OK();
  });
}

int mlpipe_model_column_num_categories(const mlpipe_model* model, size_t column, size_t* out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    const auto& columns = mlpipe::capi::SchemaOf(model).columns;
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::Index(column, columns.size(), "column"));
    const auto& c = columns[column].categories;
    *out = c.has_value() ? c->size() : 0;
    return Status::OK();
  });
}

int mlpipe_model_column_category(const mlpipe_model* model, size_t column, size_t index,
                                 const char** out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    const auto& columns = mlpipe::capi::SchemaOf(model).columns;
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::Index(column, columns.size(), "column"));
    const auto& c = columns[column].categories;
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::Index(
        index, c.has_value() ? c->size() : 0, ("'" + columns[column].name + "' category").c_str()));
    *out = (*c)[index].c_str();
    return Status::OK();
  });
}

int mlpipe_model_input_widths(const mlpipe_model* model, size_t* out_numeric,
                              size_t* out_categorical) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    if (out_numeric != nullptr) *out_numeric = model->numeric_columns.size();
    if (out_categorical != nullptr) *out_categorical = model->categorical_columns.size();
    return Status::OK();
  });
}

int mlpipe_model_num_features(const mlpipe_model* model, size_t* out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = model->predictor->model().feature_names().size();
    return Status::OK();
  });
}

int mlpipe_model_feature_name(const mlpipe_model* model, size_t index, const char** out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    const auto& names = model->predictor->model().feature_names();
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::Index(index, names.size(), "feature"));
    *out = names[index].c_str();
    return Status::OK();
  });
}

int mlpipe_model_num_outputs(const mlpipe_model* model, size_t* out) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(out, "out"));
    *out = model->predictor->model().num_outputs();
    return Status::OK();
  });
}

}  // extern "C"
