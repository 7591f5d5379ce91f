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

namespace {

// Scores rows [begin, end) of `data` into `out`; a failing range is halved
// until the rows that fail alone are found, which go to `unscored` with empty
// output fields. Returns the number of rows scored.
Result<size_t> ScoreRange(const Predictor& predictor, const table::Table& data, size_t begin,
                          size_t end, std::vector<UnscoredRow>* unscored, std::string* out) {
  Result<Scores> s = [&]() -> Result<Scores> {
    if (begin == 0 && end == data.num_rows()) return predictor.Predict(data);
    std::vector<size_t> rows(end - begin);
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = begin + i;
    return predictor.Predict(data.Take(rows));
  }();
  if (s.ok()) {
    AppendPredictionCsv(predictor, *s, begin, out);
    return end - begin;
  }
  if (unscored == nullptr || s.status().code() != StatusCode::kInvalidArgument ||
      end - begin == 0) {
    return s.status();
  }
  if (end - begin == 1) {
    unscored->push_back({begin, s.status()});
    *out += fmt::format("{}{}\n", begin, std::string(predictor.OutputColumns().size(), ','));
    return size_t{0};
  }
  const size_t mid = begin + (end - begin) / 2;
  MLPIPE_ASSIGN_OR_RETURN(size_t a, ScoreRange(predictor, data, begin, mid, unscored, out));
  MLPIPE_ASSIGN_OR_RETURN(size_t b, ScoreRange(predictor, data, mid, end, unscored, out));
  return a + b;
}

}  // namespace

Result<std::string> ScoreToCsv(const Predictor& predictor, const table::Table& data,
                               const ScoreOptions& options) {
  std::string out = PredictionCsvHeader(predictor);
  const size_t n = data.num_rows();
  const size_t chunk = std::max<size_t>(1, options.chunk);
  size_t total = 0;
  // One pass even for an empty table, so that its columns are still checked.
  for (size_t start = 0; start < n || start == 0; start += chunk) {
    const size_t end = std::min(n, start + chunk);
    const size_t before = options.unscored != nullptr ? options.unscored->size() : 0;
    auto scored = ScoreRange(predictor, data, start, end, options.unscored, &out);
    if (!scored.ok()) return scored.status();
    total += *scored;
    if (*scored == 0 && end > start && (end - start > 1 || total == 0)) {
      // No row of the batch could be scored: a fault of the input as a whole.
      return (*options.unscored)[before].status;
    }
    if (options.on_chunk) options.on_chunk(end - start);
    if (end >= n) break;
  }
  return out;
}

std::vector<std::string> DescribeUnscored(const std::vector<UnscoredRow>& unscored,
                                          const std::string& source,
                                          const std::vector<size_t>& row_lines, size_t max_lines) {
  std::vector<std::string> out;
  for (size_t i = 0; i < unscored.size() && i < max_lines; ++i) {
    const UnscoredRow& u = unscored[i];
    const std::string where = u.row < row_lines.size()
                                  ? fmt::format("{}:{}", source, row_lines[u.row])
                                  : fmt::format("{}: data row {}", source, u.row);
    out.push_back(fmt::format("{}: row not scored: {}", where, u.status.message()));
  }
  if (unscored.size() > max_lines) {
    out.push_back(fmt::format("{}: {} more rows not scored", source, unscored.size() - max_lines));
  }
  return out;
}

}  // namespace mlpipe::bundle
