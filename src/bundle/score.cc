// Chunked batch scoring into the prediction CSV (score.h).
#include "mlpipe/bundle/score.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace mlpipe::bundle {

std::string PredictionCsvHeader(const Predictor& predictor) {
  std::string out = "row";
  for (const auto& c : predictor.OutputColumns()) out += "," + c;
  out += "\n";
  return out;
}

void AppendPredictionCsv(const Predictor& predictor, const Scores& s, size_t first_row,
                         std::string* out) {
  const std::vector<std::string>& classes = predictor.bundle().classes;
  auto buf = fmt::memory_buffer();
  auto it = std::back_inserter(buf);
  for (size_t i = 0; i < s.rows; ++i) {
    fmt::format_to(it, "{}", first_row + i);
    if (s.task == models::Task::kRegression) {
      fmt::format_to(it, ",{:.17g}\n", s.values[i]);
      continue;
    }
    fmt::format_to(it, ",{}", classes[s.labels[i]]);
    const double* probs = &s.probabilities[i * s.num_classes];
    if (s.task == models::Task::kBinary) fmt::format_to(it, ",{:.17g}", probs[1]);
    for (size_t c = 0; c < s.num_classes; ++c) fmt::format_to(it, ",{:.17g}", probs[c]);
    buf.push_back('\n');
  }
  out->append(buf.data(), buf.size());
}

Result<std::string> ScoreToCsv(const Predictor& predictor, const table::Table& data,
                               const ScoreOptions& options) {
  std::string out = PredictionCsvHeader(predictor);
  const size_t n = data.num_rows();
  const size_t chunk = std::max<size_t>(1, options.chunk);
  // One pass even for an empty table, so that its columns are still checked.
  for (size_t start = 0; start < n || start == 0; start += chunk) {
    const size_t end = std::min(n, start + chunk);
    Result<Scores> s = [&]() -> Result<Scores> {
      if (start == 0 && end == n) return predictor.Predict(data);
      std::vector<size_t> rows(end - start);
      for (size_t i = 0; i < rows.size(); ++i) rows[i] = start + i;
      return predictor.Predict(data.Take(rows));
    }();
    if (!s.ok()) return s.status();
    AppendPredictionCsv(predictor, *s, start, &out);
    if (options.on_chunk) options.on_chunk(s->rows);
    if (end >= n) break;
  }
  return out;
}

}  // namespace mlpipe::bundle
