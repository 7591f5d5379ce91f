// Target encoding, fold splits and train/validation/test splits (scoring: cv_scoring.cc).
#include "mlpipe/eval/cv.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "mlpipe/core/random.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/stats/groups.h"

namespace mlpipe::eval {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<size_t> Sorted(std::vector<size_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Folds from a fold number per row.
std::vector<Fold> FoldsFromAssignment(const std::vector<int>& fold_of, int k) {
  std::vector<Fold> folds(static_cast<size_t>(k));
  for (size_t row = 0; row < fold_of.size(); ++row) {
    for (int f = 0; f < k; ++f) {
      auto& part = f == fold_of[row] ? folds[f].validation : folds[f].train;
      part.push_back(row);
    }
  }
  return folds;
}

Status CheckK(int k, size_t units, std::string_view what) {
  if (k < 2) return InvalidArgumentError(fmt::format("cv: k must be at least 2, got {}", k));
  if (static_cast<size_t>(k) > units) {
    return InvalidArgumentError(
        fmt::format("cv: k = {} folds need at least {} {}, found {}", k, k, what, units));
  }
  return Status::OK();
}

}  // namespace

table::Column Target::AsColumn() const {
  std::vector<double> v(labels.begin(), labels.end());
  return table::Column::Float64(name, std::move(v));
}

Target Target::Take(const std::vector<size_t>& rows) const {
  Target t;
  t.name = name;
  t.task = task;
  t.classes = classes;
  for (size_t r : rows) {
    if (!codes.empty()) t.codes.push_back(codes[r]);
    if (!values.empty()) t.values.push_back(values[r]);
    t.labels.push_back(labels[r]);
  }
  return t;
}

Result<Target> EncodeTarget(const table::Column& column, std::string_view positive,
                            std::string_view task) {
  const size_t n = column.size();
  if (n == 0) return InvalidArgumentError("target '" + column.name() + "': no rows");
  if (column.null_count() > 0) {
    return InvalidArgumentError(
        fmt::format("target '{}': {} missing values (drop those rows first)", column.name(),
                    column.null_count()));
  }
  Target t;
  t.name = column.name();
  const bool numeric = table::IsNumeric(column.type());
  MLPIPE_ASSIGN_OR_RETURN(const models::Task resolved, table::ResolveTask(column, task));
  if (resolved == models::Task::kRegression) {
    if (!positive.empty()) {
      return InvalidArgumentError("target '" + t.name +
                                  "' is a regression target; --positive applies to classes");
    }
    t.task = models::Task::kRegression;
    for (size_t i = 0; i < n; ++i) t.values.push_back(column.NumericAt(i));
    t.labels.assign(t.values.begin(), t.values.end());
    return t;
  }
  // Classes sorted: numerically for numbers, bytewise for text.
  std::vector<std::string> text(n);
  std::map<double, std::string> by_number;
  std::set<std::string> by_text;
  for (size_t i = 0; i < n; ++i) {
    text[i] = column.ToStringAt(i);
    if (numeric) {
      by_number.emplace(column.NumericAt(i), text[i]);
    } else {
      by_text.insert(text[i]);
    }
  }
  if (numeric) {
    for (auto& [v, s] : by_number) t.classes.push_back(s);
  } else {
    t.classes.assign(by_text.begin(), by_text.end());
  }
  if (t.classes.size() < 2) {
    return InvalidArgumentError(
        fmt::format("target '{}' has one class ('{}'); classification needs at least 2", t.name,
                    t.classes.empty() ? "" : t.classes[0]));
  }
  std::map<std::string, int32_t> code_of;
  for (size_t c = 0; c < t.classes.size(); ++c) code_of[t.classes[c]] = static_cast<int32_t>(c);
  t.task = t.classes.size() == 2 ? models::Task::kBinary : models::Task::kMulticlass;
  if (!positive.empty() && !code_of.contains(std::string(positive))) {
    return InvalidArgumentError(
        fmt::format("--positive '{}' is not a class of target '{}'; "
                    "classes: {}",
                    positive, t.name, JoinNames(t.classes)));
  }
  if (t.task == models::Task::kMulticlass && !positive.empty()) {
    return InvalidArgumentError(fmt::format(
        "--positive applies to a binary target; '{}' has {} classes", t.name, t.classes.size()));
  }
  for (size_t i = 0; i < n; ++i) t.codes.push_back(code_of[text[i]]);
  if (t.task == models::Task::kBinary) {
    size_t ones = static_cast<size_t>(std::count(t.codes.begin(), t.codes.end(), 1));
    bool swap = positive.empty() ? ones >= n - ones : positive == t.classes[0];
    if (swap) {
      std::swap(t.classes[0], t.classes[1]);
      for (auto& c : t.codes) c = 1 - c;
    }
  }
  t.labels.assign(t.codes.begin(), t.codes.end());
  return t;
}

std::vector<int32_t> ColumnCodes(const table::Column& column, std::vector<std::string>* names) {
  std::map<std::string, int32_t> code_of;
  std::vector<int32_t> codes(column.size());
  std::vector<std::string> local;
  for (size_t i = 0; i < column.size(); ++i) {
    std::string key = column.IsValid(i) ? column.ToStringAt(i) : "(missing)";
    auto [it, added] = code_of.emplace(key, static_cast<int32_t>(code_of.size()));
    if (added) local.push_back(key);
    codes[i] = it->second;
  }
  if (names != nullptr) *names = std::move(local);
  return codes;
}

std::vector<int32_t> ProtectedGroupCodes(const table::Column& column, std::span<const size_t> rows,
                                         std::vector<std::string>* names) {
  const bool numeric = table::IsNumeric(column.type()) && column.type() != table::DataType::kBool;
  if (!numeric) {
    return ColumnCodes(column.Take(std::vector<size_t>(rows.begin(), rows.end())), names);
  }
  std::vector<double> values(column.size(), NAN);
  for (size_t i = 0; i < column.size(); ++i) {
    if (column.IsValid(i)) values[i] = column.NumericAt(i);
  }
  stats::NumericGroups groups = stats::GroupNumeric(values);
  std::vector<std::string> labels = groups.labels;
  std::vector<int32_t> codes(rows.size());
  int32_t missing = -1;
  for (size_t r = 0; r < rows.size(); ++r) {
    codes[r] = groups.GroupOf(values[rows[r]]);
    if (codes[r] >= 0) continue;
    if (missing < 0) {
      missing = static_cast<int32_t>(labels.size());
      labels.push_back("(missing)");
    }
    codes[r] = missing;
  }
  if (names != nullptr) *names = std::move(labels);
  return codes;
}

Result<std::vector<Fold>> KFold(size_t num_rows, int k, uint64_t seed) {
  MLPIPE_RETURN_IF_ERROR(CheckK(k, num_rows, "rows"));
  std::vector<size_t> order(num_rows);
  std::iota(order.begin(), order.end(), 0);
  core::Rng rng(seed);
  rng.Shuffle(order);
  std::vector<int> fold_of(num_rows);
  for (size_t i = 0; i < num_rows; ++i) fold_of[order[i]] = static_cast<int>(i % k);
  return FoldsFromAssignment(fold_of, k);
}

Result<std::vector<Fold>> StratifiedKFold(std::span<const int32_t> classes, int k, uint64_t seed,
                                          const std::vector<std::string>* class_names) {
  MLPIPE_RETURN_IF_ERROR(CheckK(k, classes.size(), "rows"));
  std::map<int32_t, std::vector<size_t>> rows_of;
  for (size_t i = 0; i < classes.size(); ++i) rows_of[classes[i]].push_back(i);
  std::vector<int> fold_of(classes.size());
  size_t next = 0;
  core::Rng rng(seed);
  for (auto& [cls, rows] : rows_of) {
    if (rows.size() < static_cast<size_t>(k)) {
      const bool named =
          class_names != nullptr && cls >= 0 && static_cast<size_t>(cls) < class_names->size();
      const std::string which = named ? "class '" + (*class_names)[static_cast<size_t>(cls)] + "'"
                                      : "class code " + std::to_string(cls);
      return InvalidArgumentError(fmt::format(
          "cv: {} has {} row{}; stratified {}-fold needs at least {} rows of every class", which,
          rows.size(), rows.size() == 1 ? "" : "s", k, k));
    }
    rng.Shuffle(rows);
    for (size_t r : rows) fold_of[r] = static_cast<int>(next++ % k);
  }
  return FoldsFromAssignment(fold_of, k);
}

Result<std::vector<Fold>> GroupKFold(std::span<const int32_t> groups, int k, uint64_t seed) {
  std::map<int32_t, size_t> size_of;
  for (int32_t g : groups) ++size_of[g];
  MLPIPE_RETURN_IF_ERROR(CheckK(k, size_of.size(), "groups"));
  std::vector<std::pair<int32_t, size_t>> order(size_of.begin(), size_of.end());
  core::Rng rng(seed);
  rng.Shuffle(order);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<size_t> load(static_cast<size_t>(k), 0);
  std::map<int32_t, int> fold_of_group;
  for (const auto& [g, size] : order) {
    int f = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    fold_of_group[g] = f;
    load[f] += size;
  }
  std::vector<int> fold_of(groups.size());
  for (size_t i = 0; i < groups.size(); ++i) fold_of[i] = fold_of_group[groups[i]];
  return FoldsFromAssignment(fold_of, k);
}

Result<ThreeWaySplit> TrainValidationTestSplit(size_t num_rows, std::span<const int32_t> classes,
                                               double validation_fraction, double test_fraction,
                                               uint64_t seed) {
  if (!(validation_fraction >= 0 && validation_fraction < 1 && test_fraction >= 0 &&
        test_fraction < 1 && validation_fraction + test_fraction < 1)) {
    return InvalidArgumentError(fmt::format(
        "split: validation ({}) and test ({}) fractions must be in [0, 1) and sum below 1",
        validation_fraction, test_fraction));
  }
  if (!classes.empty() && classes.size() != num_rows) {
    return InvalidArgumentError("split: classes must hold one code per row");
  }
  // Strata: one per class, or one for all rows.
  std::map<int32_t, std::vector<size_t>> strata;
  for (size_t i = 0; i < num_rows; ++i) strata[classes.empty() ? 0 : classes[i]].push_back(i);
  auto quota = [&](double fraction) {
    size_t want = static_cast<size_t>(std::llround(fraction * static_cast<double>(num_rows)));
    if (fraction > 0 && want == 0) want = 1;
    // Largest remainders across strata; ties to the earlier stratum.
    std::vector<size_t> take;
    std::vector<std::pair<double, size_t>> rest;
    size_t given = 0, s = 0;
    for (auto& [c, rows] : strata) {
      double exact = fraction * static_cast<double>(rows.size());
      take.push_back(static_cast<size_t>(std::floor(exact)));
      given += take.back();
      rest.emplace_back(exact - std::floor(exact), s++);
    }
    std::stable_sort(rest.begin(), rest.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; given < want && i < rest.size(); ++i, ++given) ++take[rest[i].second];
    return take;
  };
  std::vector<size_t> test_take = quota(test_fraction);
  std::vector<size_t> valid_take = quota(validation_fraction);
  ThreeWaySplit out;
  core::Rng rng(seed);
  size_t s = 0;
  for (auto& [c, rows] : strata) {
    rng.Shuffle(rows);
    size_t t = std::min(test_take[s], rows.size());
    size_t v = std::min(valid_take[s], rows.size() - t);
    out.test.insert(out.test.end(), rows.begin(), rows.begin() + t);
    out.validation.insert(out.validation.end(), rows.begin() + t, rows.begin() + t + v);
    out.train.insert(out.train.end(), rows.begin() + t + v, rows.end());
    ++s;
  }
  out.train = Sorted(std::move(out.train));
  out.validation = Sorted(std::move(out.validation));
  out.test = Sorted(std::move(out.test));
  if (out.train.empty()) return InvalidArgumentError("split: no rows left for training");
  return out;
}

}  // namespace mlpipe::eval
