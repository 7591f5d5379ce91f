#include "mlpipe/table/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "mlpipe/core/random.h"

namespace mlpipe::table {
namespace {

// The test-set size, or an error naming what is wrong.
Result<size_t> TestCount(size_t num_rows, double test_fraction) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0))
    return InvalidArgumentError(
        fmt::format("test_fraction must be in (0, 1), got {}", test_fraction));
  size_t n_test = static_cast<size_t>(std::ceil(test_fraction * static_cast<double>(num_rows)));
  if (n_test == 0 || n_test >= num_rows)
    return InvalidArgumentError(fmt::format("test_fraction {} of {} rows leaves the {} set empty",
                                            test_fraction, num_rows,
                                            n_test == 0 ? "test" : "training"));
  return n_test;
}

}  // namespace

Result<Split> RandomSplit(size_t num_rows, double test_fraction, uint64_t seed) {
  MLPIPE_ASSIGN_OR_RETURN(size_t n_test, TestCount(num_rows, test_fraction));
  std::vector<size_t> rows(num_rows);
  std::iota(rows.begin(), rows.end(), 0);
  core::Rng rng(seed);
  rng.Shuffle(rows);
  Split s;
  s.test.assign(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
  s.train.assign(rows.begin() + static_cast<std::ptrdiff_t>(n_test), rows.end());
  std::sort(s.test.begin(), s.test.end());
  std::sort(s.train.begin(), s.train.end());
  return s;
}

Result<Split> StratifiedSplit(const Table& table, const std::string& label, double test_fraction,
                              uint64_t seed) {
  MLPIPE_ASSIGN_OR_RETURN(const Column* col, table.GetColumn(label));
  const size_t n = table.num_rows();
  MLPIPE_ASSIGN_OR_RETURN(size_t n_test, TestCount(n, test_fraction));
  // Classes in order of first appearance; missing is a class of its own.
  std::map<std::pair<bool, std::string>, size_t> class_of;
  std::vector<std::string> class_names;
  std::vector<std::vector<size_t>> members;
  for (size_t r = 0; r < n; ++r) {
    std::pair<bool, std::string> key{col->IsValid(r), col->ToStringAt(r)};
    auto [it, inserted] = class_of.emplace(key, members.size());
    if (inserted) {
      class_names.push_back(key.first ? "'" + key.second + "'" : "(missing)");
      members.emplace_back();
    }
    members[it->second].push_back(r);
  }
  for (size_t k = 0; k < members.size(); ++k) {
    if (members[k].size() < 2)
      return InvalidArgumentError(fmt::format(
          "stratified split: class {} of column '{}' has only 1 row; each class needs at least 2",
          class_names[k], label));
  }
  // Share n_test among classes by largest remainder.
  std::vector<size_t> take(members.size());
  std::vector<std::pair<double, size_t>> remainders;
  size_t given = 0;
  for (size_t k = 0; k < members.size(); ++k) {
    double exact = static_cast<double>(n_test) * static_cast<double>(members[k].size()) /
                   static_cast<double>(n);
    take[k] = static_cast<size_t>(std::floor(exact));
    given += take[k];
    remainders.emplace_back(exact - static_cast<double>(take[k]), k);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; given < n_test && i < remainders.size(); ++i, ++given)
    ++take[remainders[i].second];
  core::Rng rng(seed);
  Split s;
  for (size_t k = 0; k < members.size(); ++k) {
    std::vector<size_t>& rows = members[k];
    rng.Shuffle(rows);
    s.test.insert(s.test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(take[k]));
    s.train.insert(s.train.end(), rows.begin() + static_cast<std::ptrdiff_t>(take[k]), rows.end());
  }
  std::sort(s.test.begin(), s.test.end());
  std::sort(s.train.begin(), s.train.end());
  return s;
}

Result<Split> OrderedSplit(const Table& table, const std::string& order_column,
                           double test_fraction) {
  MLPIPE_ASSIGN_OR_RETURN(const Column* col, table.GetColumn(order_column));
  const size_t n = table.num_rows();
  MLPIPE_ASSIGN_OR_RETURN(size_t n_test, TestCount(n, test_fraction));
  if (col->null_count() > 0)
    return InvalidArgumentError(fmt::format("ordered split: column '{}' has {} missing values",
                                            order_column, col->null_count()));
  std::vector<size_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0);
  if (IsNumeric(col->type())) {
    // NaN sorts first (oldest) so that the order stays strict and weak.
    std::stable_sort(rows.begin(), rows.end(), [col](size_t a, size_t b) {
      double x = col->NumericAt(a), y = col->NumericAt(b);
      if (std::isnan(x)) return !std::isnan(y);
      return !std::isnan(y) && x < y;
    });
  } else {
    std::stable_sort(rows.begin(), rows.end(),
                     [col](size_t a, size_t b) { return col->TextAt(a) < col->TextAt(b); });
  }
  Split s;
  s.train.assign(rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(n_test));
  s.test.assign(rows.end() - static_cast<std::ptrdiff_t>(n_test), rows.end());
  return s;
}

}  // namespace mlpipe::table
