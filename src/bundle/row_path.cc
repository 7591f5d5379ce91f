// The Predictor's fast paths: one row through the compiled row program and
// the model's single-row predictor, and tables scored in parallel chunks
// (predictor.h).
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "conform.h"
#include "mlpipe/bundle/predictor.h"

namespace mlpipe::bundle {
namespace {

using table::Column;
using table::DataType;

// Per-thread scratch of the row path: grows to the largest program a thread
// has run, then scoring a row allocates nothing.
struct Scratch {
  std::vector<features::RowCell> cells;
  std::vector<float> features;
  std::vector<std::string> texts;  // numbers given for text columns, formatted
  std::vector<double> out;
};

Scratch& ThreadScratch() {
  thread_local Scratch s;
  return s;
}

template <typename T>
void Grow(std::vector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
}

// Rows per chunk of a parallel Predict: large enough that a chunk's work
// (milliseconds) dwarfs handing it to a thread.
constexpr size_t kChunkRows = 4096;

}  // namespace

size_t Predictor::num_outputs() const {
  return bundle_.task == models::Task::kRegression ? 1 : model_->num_classes();
}

Status Predictor::RowFeatures(std::span<const RowValue> row, float* features) const {
  const auto& columns = bundle_.schema.columns;
  if (row.size() != columns.size()) {
    return InvalidArgumentError(fmt::format(
        "row: expected {} values (the schema's columns), got {}", columns.size(), row.size()));
  }
  Scratch& s = ThreadScratch();
  Grow(s.cells, row_program_->num_slots());
  Grow(s.texts, columns.size());
  features::RowCell unused;
  for (size_t k = 0; k < columns.size(); ++k) {
    const int32_t at = input_of_column_[k];
    features::RowCell* cell = at >= 0 ? &s.cells[static_cast<size_t>(at)] : &unused;
    MLPIPE_RETURN_IF_ERROR(
        ConvertRowValue(row[k], columns[k].type, columns[k].name, "row", cell, &s.texts[k]));
  }
  return row_program_->Run(s.cells.data(), features, 0);
}

Status Predictor::FinishRow(double* out, int32_t* label) const {
  if (bundle_.task == models::Task::kBinary) {
    *label = out[1] > bundle_.threshold ? 1 : 0;
  } else if (bundle_.task == models::Task::kMulticlass) {
    const size_t k = model_->num_classes();
    size_t best = 0;
    for (size_t j = 1; j < k; ++j) {
      if (out[j] > out[best]) best = j;
    }
    *label = static_cast<int32_t>(best);
  } else {
    *label = 0;
  }
  return Status::OK();
}

Status Predictor::PredictRowValues(std::span<const RowValue> row, std::span<double> out,
                                   int32_t* label) const {
  if (out.size() < num_outputs()) {
    return InvalidArgumentError(
        fmt::format("row: room for {} outputs given, {} needed", out.size(), num_outputs()));
  }
  if (!row_path()) {
    // The columnar path on a one-row table.
    if (row.size() != bundle_.schema.columns.size()) {
      return InvalidArgumentError(
          fmt::format("row: expected {} values (the schema's columns), got {}",
                      bundle_.schema.columns.size(), row.size()));
    }
    core::Json values = core::Json::array();
    for (const RowValue& v : row) {
      std::visit(
          [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              values.push_back(nullptr);
            } else if constexpr (std::is_same_v<T, std::string_view>) {
              values.push_back(std::string(x));
            } else {
              values.push_back(x);
            }
          },
          v);
    }
    MLPIPE_ASSIGN_OR_RETURN(table::Table t,
                            TableFromJsonRows(bundle_.schema, core::Json::array({values}), "row"));
    MLPIPE_ASSIGN_OR_RETURN(Scores s, Predict(t, nullptr));
    const auto& src = s.task == models::Task::kRegression ? s.values : s.probabilities;
    std::copy(src.begin(), src.end(), out.begin());
    *label = s.labels.empty() ? 0 : s.labels[0];
    return Status::OK();
  }
  Scratch& s = ThreadScratch();
  Grow(s.features, row_program_->num_features());
  MLPIPE_RETURN_IF_ERROR(RowFeatures(row, s.features.data()));
  MLPIPE_RETURN_IF_ERROR(model_->PredictRow(s.features.data(), out.data()));
  return FinishRow(out.data(), label);
}

Result<Scores> Predictor::PredictRowValues(std::span<const RowValue> row) const {
  Scores s;
  s.task = bundle_.task;
  s.rows = 1;
  s.num_classes = model_->num_classes();
  std::vector<double> out(num_outputs());
  int32_t label = 0;
  MLPIPE_RETURN_IF_ERROR(PredictRowValues(row, out, &label));
  if (s.task == models::Task::kRegression) {
    s.values = std::move(out);
  } else {
    s.probabilities = std::move(out);
    s.labels = {label};
  }
  return s;
}

// Rows [begin, end) of the conformed table through the row program into `s`
// (sized for every row).
Status Predictor::PredictChunkRows(const table::Table& conformed, size_t begin, size_t end,
                                   Scores* s) const {
  const auto& inputs = row_program_->inputs();
  std::vector<const Column*> cols(inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) cols[k] = conformed.FindColumn(inputs[k].name);
  std::vector<features::RowCell> cells(row_program_->num_slots());
  std::vector<float> features(row_program_->num_features());
  const size_t k_out = num_outputs();
  std::vector<double> out(k_out);
  const bool reg = bundle_.task == models::Task::kRegression;
  for (size_t i = begin; i < end; ++i) {
    for (size_t k = 0; k < cols.size(); ++k) {
      const Column& c = *cols[k];
      features::RowCell& cell = cells[k];
      cell.valid = c.IsValid(i);
      if (!cell.valid) continue;
      switch (c.type()) {
        case DataType::kBool:
          cell.num = c.bools()[i] ? 1.0 : 0.0;
          break;
        case DataType::kInt64:
          cell.i64 = c.int64s()[i];
          cell.num = static_cast<double>(cell.i64);
          break;
        case DataType::kFloat64:
          cell.num = c.float64s()[i];
          break;
        default:
          cell.text = c.TextAt(i);
          break;
      }
    }
    MLPIPE_RETURN_IF_ERROR(row_program_->Run(cells.data(), features.data(), i));
    MLPIPE_RETURN_IF_ERROR(model_->PredictRow(features.data(), out.data()));
    if (reg) {
      s->values[i] = out[0];
    } else {
      std::copy(out.begin(), out.end(),
                s->probabilities.begin() + static_cast<ptrdiff_t>(i * k_out));
      MLPIPE_RETURN_IF_ERROR(FinishRow(out.data(), &s->labels[i]));
    }
  }
  return Status::OK();
}

Result<Scores> Predictor::Predict(const table::Table& input, core::ThreadPool* pool) const {
  MLPIPE_ASSIGN_OR_RETURN(table::Table conformed, Conform(input));
  const size_t n = conformed.num_rows();
  const size_t chunks = (n + kChunkRows - 1) / kChunkRows;
  const bool parallel = pool != nullptr && pool->size() > 1 && chunks > 1;
  if (!row_path() && !parallel) return PredictColumnar(conformed);
  Scores s;
  s.task = bundle_.task;
  s.rows = n;
  s.num_classes = model_->num_classes();
  if (s.task == models::Task::kRegression) {
    s.values.resize(n);
  } else {
    s.probabilities.resize(n * s.num_classes);
    s.labels.resize(n);
  }
  std::vector<Status> status(std::max<size_t>(chunks, 1));
  auto run_chunk = [&](size_t c) {
    const size_t begin = c * kChunkRows, end = std::min(n, begin + kChunkRows);
    if (row_path()) {
      status[c] = PredictChunkRows(conformed, begin, end, &s);
      return;
    }
    std::vector<size_t> rows(end - begin);
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = begin + i;
    auto part = PredictColumnar(conformed.Take(rows));
    if (!part.ok()) {
      status[c] = part.status();
      return;
    }
    const size_t k = s.task == models::Task::kRegression ? 1 : s.num_classes;
    const auto& src = s.task == models::Task::kRegression ? part->values : part->probabilities;
    auto& dst = s.task == models::Task::kRegression ? s.values : s.probabilities;
    std::copy(src.begin(), src.end(), dst.begin() + static_cast<ptrdiff_t>(begin * k));
    if (s.task != models::Task::kRegression) {
      std::copy(part->labels.begin(), part->labels.end(),
                s.labels.begin() + static_cast<ptrdiff_t>(begin));
    }
  };
  if (parallel) {
    pool->ParallelFor(
        chunks,
        [&](size_t b, size_t e) {
          for (size_t c = b; c < e; ++c) run_chunk(c);
        },
        chunks);
  } else {
    for (size_t c = 0; c < chunks; ++c) run_chunk(c);
  }
  for (const Status& st : status) {
    // A failing row: the columnar path on the whole table gives the error
    // (row numbers, and for linear models the first NaN feature) exactly as
    // it always has.
    if (!st.ok()) return PredictColumnar(conformed);
  }
  return s;
}

}  // namespace mlpipe::bundle
