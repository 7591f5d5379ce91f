// mlpipe_predict_json, mlpipe_predict_matrix and mlpipe_explain_json.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "handle.h"
#include "rows.h"

using mlpipe::Status;
using mlpipe::capi::Guard;
using mlpipe::capi::NotNull;
using mlpipe::capi::OutputBuffers;

extern "C" {

int mlpipe_predict_json(const mlpipe_model* model, const char* json_rows, size_t* out_rows,
                        int* labels, size_t labels_len, double* probabilities,
                        size_t probabilities_len, double* values, size_t values_len) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(json_rows, "json_rows"));
    const OutputBuffers out{labels, labels_len, probabilities, probabilities_len,
                            values, values_len};
    mlpipe::core::Json doc;
    std::vector<const mlpipe::core::Json*> objects;
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::ParseJsonRows(*model, json_rows, &doc, &objects));
    if (out_rows != nullptr) *out_rows = objects.size();
    if (out.empty()) return Status::OK();  // the size query
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::CheckBuffers(*model, objects.size(), out));
    if (objects.empty()) return Status::OK();
    mlpipe::bundle::Scores scores;
    if (objects.size() == 1) {
      // One row takes the Predictor's row path.
      MLPIPE_ASSIGN_OR_RETURN(scores, model->predictor->PredictRow(*objects[0]));
    } else {
      MLPIPE_ASSIGN_OR_RETURN(mlpipe::table::Table t, mlpipe::capi::JsonRowsTable(*model, objects));
      MLPIPE_ASSIGN_OR_RETURN(scores, model->predictor->Predict(t));
    }
    mlpipe::capi::WriteScores(scores, out);
    return Status::OK();
  });
}

int mlpipe_predict_matrix(const mlpipe_model* model, size_t rows, const double* numeric,
                          size_t num_numeric, const char* const* categorical,
                          size_t num_categorical, int* labels, size_t labels_len,
                          double* probabilities, size_t probabilities_len, double* values,
                          size_t values_len) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    const size_t nn = model->numeric_columns.size();
    const size_t nc = model->categorical_columns.size();
    if (num_numeric != nn || num_categorical != nc) {
      return mlpipe::InvalidArgumentError(fmt::format(
          "input widths {} numeric and {} categorical, but the model has {} numeric and {} "
          "categorical input columns (mlpipe_model_input_widths)",
          num_numeric, num_categorical, nn, nc));
    }
    // rows x the widest output or input must be addressable.
    const size_t widest = std::max({nn, nc, model->predictor->bundle().classes.size(), size_t{1}});
    if (rows > std::numeric_limits<size_t>::max() / widest / sizeof(double)) {
      return mlpipe::InvalidArgumentError(fmt::format("rows: {} is too many", rows));
    }
    if (rows > 0 && nn > 0) MLPIPE_RETURN_IF_ERROR(NotNull(numeric, "numeric"));
    if (rows > 0 && nc > 0) MLPIPE_RETURN_IF_ERROR(NotNull(categorical, "categorical"));
    const OutputBuffers out{labels, labels_len, probabilities, probabilities_len,
                            values, values_len};
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::CheckBuffers(*model, rows, out));
    if (rows == 0) return Status::OK();
    if (rows == 1 && model->predictor->row_path()) {
      return mlpipe::capi::PredictOneMatrixRow(*model, numeric, categorical, out);
    }
    const mlpipe::table::Table t = mlpipe::capi::MatrixTable(*model, rows, numeric, categorical);
    MLPIPE_ASSIGN_OR_RETURN(mlpipe::bundle::Scores scores, model->predictor->Predict(t));
    mlpipe::capi::WriteScores(scores, out);
    return Status::OK();
  });
}

int mlpipe_explain_json(const mlpipe_model* model, const char* json_row, double* contributions,
                        size_t contributions_len, double* bias, size_t bias_len) {
  return Guard([&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(NotNull(model, "model"));
    MLPIPE_RETURN_IF_ERROR(NotNull(json_row, "json_row"));
    MLPIPE_RETURN_IF_ERROR(NotNull(contributions, "contributions"));
    MLPIPE_RETURN_IF_ERROR(NotNull(bias, "bias"));
    mlpipe::core::Json doc;
    std::vector<const mlpipe::core::Json*> objects;
    MLPIPE_RETURN_IF_ERROR(mlpipe::capi::ParseJsonRows(*model, json_row, &doc, &objects));
    if (objects.size() != 1) {
      return mlpipe::InvalidArgumentError(
          fmt::format("json_row: expected one row (an object), got {} rows", objects.size()));
    }
    const auto& m = model->predictor->model();
    const size_t outputs = m.num_outputs(), features = m.feature_names().size();
    if (contributions_len < outputs * features) {
      return mlpipe::InvalidArgumentError(
          fmt::format("contributions: the buffer holds {} values; {} outputs x {} features need {}",
                      contributions_len, outputs, features, outputs * features));
    }
    if (bias_len < outputs) {
      return mlpipe::InvalidArgumentError(fmt::format(
          "bias: the buffer holds {} values; {} outputs need {}", bias_len, outputs, outputs));
    }
    MLPIPE_ASSIGN_OR_RETURN(mlpipe::models::Explanation e,
                            model->predictor->ExplainRow(*objects[0]));
    if (e.contributions.size() != outputs * features || e.bias.size() != outputs) {
      return mlpipe::InternalError("explanation of unexpected shape");
    }
    std::copy(e.contributions.begin(), e.contributions.end(), contributions);
    std::copy(e.bias.begin(), e.bias.end(), bias);
    return Status::OK();
  });
}

}  // extern "C"
