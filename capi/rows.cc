// Input rows in, scores out: the conversions behind mlpipe_predict_json and
// mlpipe_predict_matrix. The conversion of values to the schema's types is the
// Predictor's (Conform, TableFromJsonRows), so every front end converts alike.
#include "rows.h"

#include <cmath>

#include <fmt/format.h>

#include "mlpipe/core/suggest.h"

namespace mlpipe::capi {

Status ParseJsonRows(const mlpipe_model& model, std::string_view text, core::Json* doc,
                     std::vector<const core::Json*>* objects) {
  MLPIPE_ASSIGN_OR_RETURN(*doc, core::ParseJson(text, "json_rows"));
  objects->clear();
  if (doc->is_object()) {
    objects->push_back(doc);
  } else if (doc->is_array()) {
    for (const core::Json& row : *doc) objects->push_back(&row);
  } else {
    return InvalidArgumentError("json_rows: expected an array of objects {column: value}");
  }
  for (size_t r = 0; r < objects->size(); ++r) {
    const core::Json& row = *(*objects)[r];
    if (!row.is_object()) {
      return InvalidArgumentError(fmt::format(
          "rows[{}]: expected an object {{column: value}}, got {}", r, row.type_name()));
    }
    for (const auto& [key, value] : row.items()) {
      if (model.column_set.count(key) != 0) continue;
      return InvalidArgumentError(fmt::format(
          "rows[{}]: '{}' is not an input column of the model{} (it has {} columns: {})", r, key,
          core::DidYouMean(key, model.column_names), model.column_names.size(),
          fmt::join(model.column_names, ", ")));
    }
  }
  return Status::OK();
}

Result<table::Table> JsonRowsTable(const mlpipe_model& model,
                                   const std::vector<const core::Json*>& objects) {
  const auto& schema = model.predictor->bundle().schema;
  core::Json lists = core::Json::array();
  for (size_t r = 0; r < objects.size(); ++r) {
    core::Json list = core::Json::array();
    for (const auto& c : schema.columns) {
      auto it = objects[r]->find(c.name);
      if (it == objects[r]->end()) {
        return InvalidArgumentError(fmt::format("rows[{}]: missing column '{}'", r, c.name));
      }
      list.push_back(*it);
    }
    lists.push_back(std::move(list));
  }
  return bundle::TableFromJsonRows(schema, lists, "rows");
}

table::Table MatrixTable(const mlpipe_model& model, size_t rows, const double* numeric,
                         const char* const* categorical) {
  const auto& columns = model.predictor->bundle().schema.columns;
  const size_t nn = model.numeric_columns.size();
  const size_t nc = model.categorical_columns.size();
  std::vector<table::Column> built(columns.size());
  for (size_t j = 0; j < nn; ++j) {
    std::vector<double> v(rows);
    std::vector<uint8_t> valid(rows, 1);
    for (size_t r = 0; r < rows; ++r) {
      v[r] = numeric[r * nn + j];
      if (std::isnan(v[r])) v[r] = 0, valid[r] = 0;
    }
    const size_t k = model.numeric_columns[j];
    built[k] = table::Column::Float64(columns[k].name, std::move(v), std::move(valid));
  }
  for (size_t j = 0; j < nc; ++j) {
    std::vector<std::string> v(rows);
    std::vector<uint8_t> valid(rows, 1);
    for (size_t r = 0; r < rows; ++r) {
      const char* s = categorical[r * nc + j];
      if (s == nullptr) {
        valid[r] = 0;
      } else {
        v[r] = s;
      }
    }
    const size_t k = model.categorical_columns[j];
    built[k] = table::Column::String(columns[k].name, std::move(v), std::move(valid));
  }
  table::Table t;
  // Names are the schema's (unique) and lengths equal: AddColumn cannot fail.
  for (auto& c : built) (void)t.AddColumn(std::move(c));
  return t;
}

namespace {

Status CheckOne(const char* name, bool given, size_t len, bool wanted, size_t need,
                const std::string& shape, const char* why_not) {
  if (!given) return Status::OK();
  if (!wanted) return InvalidArgumentError(fmt::format("{}: must be NULL: {}", name, why_not));
  if (len < need) {
    return InvalidArgumentError(
        fmt::format("{}: the buffer holds {} values; {} need {}", name, len, shape, need));
  }
  return Status::OK();
}

}  // namespace

Status CheckBuffers(const mlpipe_model& model, size_t rows, const OutputBuffers& out) {
  const auto& b = model.predictor->bundle();
  const bool reg = b.task == models::Task::kRegression;
  const size_t k = b.classes.size();
  const std::string row_text = fmt::format("{} row{}", rows, rows == 1 ? "" : "s");
  MLPIPE_RETURN_IF_ERROR(CheckOne("labels", out.labels, out.labels_len, !reg, rows, row_text,
                                  "a regression model has no labels"));
  MLPIPE_RETURN_IF_ERROR(CheckOne("probabilities", out.probabilities, out.probabilities_len, !reg,
                                  rows * k, fmt::format("{} x {} classes", row_text, k),
                                  "a regression model has no probabilities"));
  MLPIPE_RETURN_IF_ERROR(CheckOne("values", out.values, out.values_len, reg, rows, row_text,
                                  "a classifier gives labels and probabilities"));
  if (out.empty()) {
    return InvalidArgumentError(reg ? "no output buffer given: pass values"
                                    : "no output buffer given: pass labels and/or probabilities");
  }
  return Status::OK();
}

void WriteScores(const bundle::Scores& s, const OutputBuffers& out) {
  if (out.labels) std::copy(s.labels.begin(), s.labels.end(), out.labels);
  if (out.probabilities) {
    std::copy(s.probabilities.begin(), s.probabilities.end(), out.probabilities);
  }
  if (out.values) std::copy(s.values.begin(), s.values.end(), out.values);
}

Status PredictOneMatrixRow(const mlpipe_model& model, const double* numeric,
                           const char* const* categorical, const OutputBuffers& out) {
  const bundle::Predictor& p = *model.predictor;
  // Per thread, reused: the row and output scratch of the last call.
  thread_local std::vector<bundle::RowValue> row;
  thread_local std::vector<double> scores;
  row.assign(p.bundle().schema.columns.size(), std::monostate());
  for (size_t j = 0; j < model.numeric_columns.size(); ++j) {
    if (!std::isnan(numeric[j])) row[model.numeric_columns[j]] = numeric[j];
  }
  for (size_t j = 0; j < model.categorical_columns.size(); ++j) {
    if (categorical[j] != nullptr)
      row[model.categorical_columns[j]] = std::string_view(categorical[j]);
  }
  scores.resize(p.num_outputs());
  int32_t label = 0;
  MLPIPE_RETURN_IF_ERROR(p.PredictRowValues(row, scores, &label));
  if (p.bundle().task == models::Task::kRegression) {
    if (out.values) out.values[0] = scores[0];
  } else {
    if (out.labels) out.labels[0] = label;
    if (out.probabilities) std::copy(scores.begin(), scores.end(), out.probabilities);
  }
  return Status::OK();
}

}  // namespace mlpipe::capi
