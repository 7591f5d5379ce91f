// Predictor: validate and conform the input, apply the fitted pipeline and the
// model, apply the decision threshold; and the golden-row check.
#include "mlpipe/bundle/predictor.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "conform.h"
#include "mlpipe/models/family_table.h"

namespace mlpipe::bundle {

Result<std::unique_ptr<Predictor>> Predictor::Create(ModelBundle bundle) {
  std::unique_ptr<Predictor> p(new Predictor());
  auto pipeline = features::FeaturePipeline::FromJson(bundle.features);
  if (!pipeline.ok()) {
    return DataLossError("bundle part features.json: " + pipeline.status().message());
  }
  if (!pipeline->fitted()) return DataLossError("bundle part features.json: not fitted");
  p->pipeline_ = std::move(*pipeline);
  auto model = models::LoadModel(bundle.model);
  if (!model.ok()) return DataLossError("bundle part model.json: " + model.status().message());
  p->model_ = std::move(*model);
  if (p->model_->task() != bundle.task) {
    return DataLossError(fmt::format("bundle part model.json: task {} but the manifest says {}",
                                     models::TaskName(p->model_->task()),
                                     models::TaskName(bundle.task)));
  }
  if (bundle.task != models::Task::kRegression &&
      p->model_->num_classes() != bundle.classes.size()) {
    return DataLossError(fmt::format("bundle part model.json: {} classes but the manifest lists {}",
                                     p->model_->num_classes(), bundle.classes.size()));
  }
  for (const auto& in : p->pipeline_.input_columns()) {
    const profile::ColumnSchema* c = bundle.schema.FindColumn(in.name);
    if (c == nullptr || c->type != in.type) {
      return DataLossError("bundle part schema.json: does not describe pipeline input '" + in.name +
                           "'");
    }
  }
  p->bundle_ = std::move(bundle);
  auto program = features::RowProgram::Compile(p->pipeline_);
  if (program.ok()) {
    p->row_program_ = std::make_unique<features::RowProgram>(std::move(program).value());
    for (const auto& col : p->bundle_.schema.columns) {
      int32_t at = -1;
      for (size_t k = 0; k < p->row_program_->inputs().size(); ++k) {
        if (p->row_program_->inputs()[k].name == col.name) at = static_cast<int32_t>(k);
      }
      p->input_of_column_.push_back(at);
    }
    if (p->row_program_->num_features() != p->model_->feature_names().size()) {
      return DataLossError("bundle part model.json: the model takes " +
                           std::to_string(p->model_->feature_names().size()) +
                           " features but the pipeline gives " +
                           std::to_string(p->row_program_->num_features()));
    }
  } else {
    p->row_fallback_ = program.status().message();
  }
  return p;
}

Result<std::unique_ptr<Predictor>> Predictor::FromFile(core::Env* env, const std::string& path) {
  MLPIPE_ASSIGN_OR_RETURN(ModelBundle b, ReadBundleFile(env, path));
  auto p = Create(std::move(b));
  if (!p.ok()) return p.status().WithContext(path);
  return p;
}

Result<table::Table> Predictor::Conform(const table::Table& input) const {
  table::Table out;
  for (const auto& col : bundle_.schema.columns) {
    const table::Column* c = input.FindColumn(col.name);
    if (c == nullptr) {
      return InvalidArgumentError(
          fmt::format("input has no column '{}' (the model needs {} input columns: {})", col.name,
                      bundle_.schema.columns.size(), [&] {
                        std::string names;
                        for (const auto& s : bundle_.schema.columns)
                          names += (names.empty() ? "" : ", ") + s.name;
                        return names;
                      }()));
    }
    MLPIPE_ASSIGN_OR_RETURN(table::Column converted, ConvertColumn(*c, col.type, "input"));
    MLPIPE_RETURN_IF_ERROR(out.AddColumn(std::move(converted)));
  }
  return out;
}

Result<Scores> Predictor::Predict(const table::Table& input) const {
  return Predict(input, &core::ThreadPool::Shared());
}

Result<Scores> Predictor::PredictColumnar(const table::Table& conformed) const {
  MLPIPE_ASSIGN_OR_RETURN(table::DenseMatrix x, pipeline_.ToMatrix(conformed));
  MLPIPE_ASSIGN_OR_RETURN(models::Predictions p, model_->Predict(x));
  Scores s;
  s.task = p.task;
  s.rows = p.rows;
  s.num_classes = p.num_classes;
  s.probabilities = std::move(p.probabilities);
  s.values = std::move(p.values);
  s.labels = std::move(p.labels);
  if (s.task == models::Task::kBinary) {
    // Positive when the score exceeds the threshold; at 0.5 this is the
    // model's own argmax (1 - p is exact near 0.5), as at training time.
    for (size_t i = 0; i < s.rows; ++i) {
      s.labels[i] = s.probabilities[i * 2 + 1] > bundle_.threshold ? 1 : 0;
    }
  }
  return s;
}

Result<table::Table> Predictor::RowTable(const core::Json& row) const {
  if (!row.is_object()) return InvalidArgumentError("row: expected an object {column: value}");
  core::Json values = core::Json::array();
  for (const auto& c : bundle_.schema.columns) {
    auto it = row.find(c.name);
    if (it == row.end()) return InvalidArgumentError("row: missing column '" + c.name + "'");
    values.push_back(*it);
  }
  return TableFromJsonRows(bundle_.schema, core::Json::array({values}), "row");
}

Result<Scores> Predictor::PredictRow(const core::Json& row) const {
  if (!row_path()) {
    MLPIPE_ASSIGN_OR_RETURN(table::Table t, RowTable(row));
    return Predict(t, nullptr);
  }
  if (!row.is_object()) return InvalidArgumentError("row: expected an object {column: value}");
  const auto& columns = bundle_.schema.columns;
  constexpr size_t kStack = 64;
  RowValue stack_values[kStack];
  std::vector<RowValue> heap_values(columns.size() > kStack ? columns.size() : 0);
  RowValue* values = columns.size() > kStack ? heap_values.data() : stack_values;
  std::vector<std::string> dumped;  // texts of values that are neither scalars nor strings
  dumped.reserve(columns.size());
  for (size_t k = 0; k < columns.size(); ++k) {
    auto it = row.find(columns[k].name);
    if (it == row.end())
      return InvalidArgumentError("row: missing column '" + columns[k].name + "'");
    const core::Json& v = *it;
    if (v.is_null()) {
      values[k] = std::monostate();
    } else if (v.is_string()) {
      values[k] = std::string_view(v.get_ref<const std::string&>());
    } else if (v.is_boolean()) {
      values[k] = v.get<bool>();
    } else if (v.is_number_integer()) {
      values[k] = v.get<int64_t>();
    } else if (v.is_number()) {
      values[k] = v.get<double>();
    } else {
      dumped.push_back(v.dump());
      values[k] = std::string_view(dumped.back());
    }
  }
  return PredictRowValues(std::span<const RowValue>(values, columns.size()));
}

Result<models::Explanation> Predictor::Explain(const table::Table& input, size_t row) const {
  if (row >= input.num_rows()) {
    return OutOfRangeError(
        fmt::format("row {} is past the input's {} rows", row, input.num_rows()));
  }
  MLPIPE_ASSIGN_OR_RETURN(table::Table conformed, Conform(input));
  MLPIPE_ASSIGN_OR_RETURN(table::DenseMatrix x, pipeline_.ToMatrix(conformed));
  return model_->Explain(x, row);
}

Result<models::Explanation> Predictor::ExplainRow(const core::Json& row) const {
  MLPIPE_ASSIGN_OR_RETURN(table::Table t, RowTable(row));
  if (!row_path()) return Explain(t, 0);
  // The features through the row program (the same floats as ToMatrix).
  std::vector<RowValue> values;
  for (const auto& c : t.columns()) {
    if (!c.IsValid(0)) {
      values.emplace_back(std::monostate());
    } else if (c.type() == table::DataType::kBool) {
      values.emplace_back(c.bools()[0] != 0);
    } else if (c.type() == table::DataType::kInt64) {
      values.emplace_back(c.int64s()[0]);
    } else if (c.type() == table::DataType::kFloat64) {
      values.emplace_back(c.float64s()[0]);
    } else {
      values.emplace_back(c.TextAt(0));
    }
  }
  table::DenseMatrix x(1, row_program_->num_features());
  x.names.clear();
  for (const auto& o : pipeline_.output_columns()) x.names.push_back(o.name);
  MLPIPE_RETURN_IF_ERROR(RowFeatures(values, x.values.data()));
  return model_->Explain(x, 0);
}

std::vector<std::string> Predictor::OutputColumns() const {
  if (bundle_.task == models::Task::kRegression) return {"prediction"};
  std::vector<std::string> out = {"predicted"};
  if (bundle_.task == models::Task::kBinary) out.push_back("score");
  for (const auto& c : bundle_.classes) out.push_back("prob_" + c);
  return out;
}

Result<GoldenReport> Predictor::VerifyGolden(double rel_tol) const {
  const core::Json& g = bundle_.golden;
  const std::string ctx = "bundle part golden.json";
  if (!g.is_object() || !g.contains("rows") || !g.contains("expected")) {
    return DataLossError(ctx + ": expected {\"rows\", \"expected\"}");
  }
  MLPIPE_ASSIGN_OR_RETURN(table::Table t, TableFromJsonRows(bundle_.schema, g["rows"], ctx));
  MLPIPE_ASSIGN_OR_RETURN(Scores s, Predict(t));
  const core::Json& expected = g["expected"];
  const core::Json& source_rows = g.contains("source_rows") ? g["source_rows"] : core::Json();
  if (!expected.is_array() || expected.size() != s.rows) {
    return DataLossError(ctx + ": \"expected\" does not have one entry per row");
  }
  GoldenReport report;
  report.rows = s.rows;
  const bool reg = s.task == models::Task::kRegression;
  for (size_t r = 0; r < s.rows; ++r) {
    std::string problem;
    const std::string where =
        source_rows.is_array() && r < source_rows.size()
            ? fmt::format("golden row {} (data row {})", r, source_rows[r].dump())
            : fmt::format("golden row {}", r);
    auto compare = [&](const std::string& what, double want, double got) {
      const double err = std::fabs(want - got) / std::max(1.0, std::fabs(want));
      if (!(err <= rel_tol) && !(std::isnan(want) && std::isnan(got))) {
        report.max_relative_error =
            std::max(report.max_relative_error, std::isfinite(err) ? err : HUGE_VAL);
        if (problem.empty()) {
          problem = fmt::format("{}: {} expected {:.17g}, got {:.17g}", where, what, want, got);
        }
      } else if (std::isfinite(err)) {
        report.max_relative_error = std::max(report.max_relative_error, err);
      }
    };
    const core::Json& e = expected[r];
    auto num = [](const core::Json& j) { return j.is_number() ? j.get<double>() : std::nan(""); };
    if (reg) {
      compare("prediction", num(e["prediction"]), s.values[r]);
    } else {
      const core::Json& probs = e["probabilities"];
      for (size_t c = 0; c < s.num_classes; ++c) {
        compare("prob_" + bundle_.classes[c],
                probs.is_array() && c < probs.size() ? num(probs[c]) : std::nan(""),
                s.probabilities[r * s.num_classes + c]);
      }
      const std::string want = e.value("predicted", std::string());
      const std::string got = bundle_.classes[s.labels[r]];
      if (problem.empty() && want != got) {
        problem = fmt::format("{}: predicted expected '{}', got '{}'", where, want, got);
      }
    }
    if (!problem.empty()) {
      if (report.mismatches++ == 0) report.first_problem = problem;
    }
  }
  return report;
}

}  // namespace mlpipe::bundle
