// The target's class balance and the target rate per group of each protected
// column: an early signal of bias, before any model is trained.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/report/charts.h"
#include "mlpipe/stats/groups.h"
#include "profile_internal.h"

namespace mlpipe::profile::internal {
namespace {

using table::Column;
using table::DataType;

// A column as codes into labels sorted in value order (numbers ascending,
// text by bytes); -1 where the value is missing (or NaN).
struct Coding {
  std::vector<int32_t> codes;
  std::vector<std::string> labels;
};

template <typename Key, typename KeyOf>
Coding EncodeByKey(const Column& c, KeyOf key_of) {
  Coding out;
  const size_t n = c.size();
  out.codes.assign(n, -1);
  std::unordered_map<Key, int32_t> first_code;
  std::vector<Key> keys;
  std::vector<size_t> rep_rows;
  for (size_t r = 0; r < n; ++r) {
    if (!c.IsValid(r)) continue;
    if (c.type() == DataType::kFloat64 && std::isnan(c.float64s()[r])) continue;
    Key k = key_of(r);
    auto [it, inserted] = first_code.try_emplace(k, static_cast<int32_t>(keys.size()));
    if (inserted) {
      keys.push_back(k);
      rep_rows.push_back(r);
    }
    out.codes[r] = it->second;
  }
  std::vector<int32_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return keys[a] < keys[b]; });
  std::vector<int32_t> remap(keys.size());
  for (size_t i = 0; i < order.size(); ++i) {
    remap[order[i]] = static_cast<int32_t>(i);
    out.labels.push_back(c.ToStringAt(rep_rows[order[i]]));
  }
  for (int32_t& code : out.codes) {
    if (code >= 0) code = remap[code];
  }
  return out;
}

Coding Encode(const Column& c) {
  switch (c.type()) {
    case DataType::kBool:
      return EncodeByKey<int>(c, [&](size_t r) { return int(c.bools()[r]); });
    case DataType::kInt64:
      return EncodeByKey<int64_t>(c, [&](size_t r) { return c.int64s()[r]; });
    case DataType::kFloat64:
      return EncodeByKey<double>(c, [&](size_t r) { return c.float64s()[r] + 0.0; });
    case DataType::kCategorical:
    case DataType::kString:
      return EncodeByKey<std::string_view>(c, [&](size_t r) { return c.TextAt(r); });
  }
  return {};
}

// The groups of a numeric column by the shared rule (stats::GroupNumeric);
// -1 where the value is missing. `edges` receives the bin edges from the
// minimum to the maximum when the column is binned.
Coding EncodeNumericGroups(const Column& c, size_t max_value_groups, bool* binned,
                           std::vector<double>* edges) {
  std::vector<double> values(c.size(), NAN);
  for (size_t r = 0; r < c.size(); ++r) {
    if (c.IsValid(r)) values[r] = c.NumericAt(r);
  }
  stats::NumericGroups g = stats::GroupNumeric(values, max_value_groups);
  Coding out;
  out.codes = stats::GroupCodes(g, values);
  out.labels = g.labels;
  *binned = g.binned;
  edges->clear();
  if (g.binned) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values) {
      if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    edges->push_back(lo);
    edges->insert(edges->end(), g.edges.begin(), g.edges.end());
    edges->push_back(hi);
  }
  return out;
}

std::string JoinLabels(const std::vector<std::string>& labels) {
  std::string s;
  for (size_t i = 0; i < labels.size() && i < 20; ++i) s += (i ? ", " : "") + labels[i];
  if (labels.size() > 20) s += ", …";
  return s;
}

}  // namespace

Status ComputeTargetAndGroups(const table::Table& table, const std::vector<ColumnProfile>& columns,
                              const ProfileOptions& options, TableProfile* out) {
  if (options.target.empty()) return Status::OK();
  const size_t n = table.num_rows();
  int ti = table.ColumnIndex(options.target);
  const Column& tc = table.column(static_cast<size_t>(ti));
  const ColumnProfile& tp = columns[static_cast<size_t>(ti)];

  TargetSummary t;
  t.column = tc.name();
  t.missing = tp.missing;
  MLPIPE_ASSIGN_OR_RETURN(t.task, table::ResolveTask(tc, options.task));
  t.classification = t.task != table::Task::kRegression;
  // y[r]: 1/0 for positive/other (classification) or the value; NaN when missing.
  std::vector<double> y(n, NAN);
  if (t.classification) {
    Coding coding = Encode(tc);
    std::vector<uint64_t> counts(coding.labels.size(), 0);
    for (int32_t code : coding.codes) {
      if (code >= 0) ++counts[code];
    }
    int32_t positive = -1;
    if (!options.positive.empty()) {
      auto it = std::find(coding.labels.begin(), coding.labels.end(), options.positive);
      if (it == coding.labels.end()) {
        return InvalidArgumentError(fmt::format("--positive: '{}' is not a class of '{}' ({})",
                                                options.positive, t.column,
                                                JoinLabels(coding.labels)));
      }
      positive = static_cast<int32_t>(it - coding.labels.begin());
    } else {
      for (size_t k = 0; k < counts.size(); ++k) {
        if (positive < 0 || counts[k] < counts[positive]) positive = static_cast<int32_t>(k);
      }
    }
    std::vector<size_t> order(counts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return counts[a] > counts[b]; });
    for (size_t k : order) t.classes.push_back({coding.labels[k], counts[k]});
    if (positive >= 0) {
      t.positive = coding.labels[positive];
      t.positive_rate = tp.count ? static_cast<double>(counts[positive]) / tp.count : 0;
    }
    for (size_t r = 0; r < n; ++r) {
      if (coding.codes[r] >= 0) y[r] = coding.codes[r] == positive ? 1 : 0;
    }
  } else {
    if (!options.positive.empty()) {
      return InvalidArgumentError(fmt::format(
          "--positive: target '{}' is numeric with {} distinct values (a regression target)",
          t.column, tp.distinct));
    }
    for (size_t r = 0; r < n; ++r) {
      if (tc.IsValid(r)) y[r] = tc.NumericAt(r);
    }
    t.mean = tp.numeric ? tp.numeric->mean : NAN;
  }

  for (const std::string& name : options.protected_columns) {
    int pi = table.ColumnIndex(name);
    const Column& pc = table.column(static_cast<size_t>(pi));
    const ColumnProfile& pp = columns[static_cast<size_t>(pi)];
    ProtectedSummary ps;
    ps.column = pc.name();
    ps.missing = pp.missing;
    Coding coding;
    if (table::IsNumeric(pc.type()) && pc.type() != DataType::kBool) {
      coding = EncodeNumericGroups(pc, options.max_protected_groups, &ps.binned, &ps.edges);
    }
    if (!ps.binned) {
      coding = Encode(pc);
    }
    std::vector<double> sums(coding.labels.size(), 0);
    std::vector<uint64_t> rows(coding.labels.size(), 0);
    for (size_t r = 0; r < n; ++r) {
      int32_t g = coding.codes[r];
      if (g < 0 || std::isnan(y[r])) continue;
      sums[g] += y[r];
      ++rows[g];
    }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    int eligible = 0;
    for (size_t g = 0; g < coding.labels.size(); ++g) {
      if (rows[g] == 0) continue;
      double rate = sums[g] / static_cast<double>(rows[g]);
      ps.groups.push_back({coding.labels[g], rows[g], rate});
      if (rows[g] >= options.thresholds.min_group_rows) {
        ++eligible;
        lo = std::min(lo, rate);
        hi = std::max(hi, rate);
      }
    }
    if (eligible >= 2) {
      ps.max_gap = hi - lo;
      ps.min_ratio = hi > 0 ? lo / hi : 1;
    }
    out->protected_groups.push_back(std::move(ps));
  }
  out->target = std::move(t);
  return Status::OK();
}

}  // namespace mlpipe::profile::internal
