// Proxy detection: association of each feature with each protected column,
// measured by the method that fits the two column types (see proxies.h).
#include "mlpipe/governance/proxies.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/core/random.h"
#include "mlpipe/stats/association.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::governance {
namespace {

using table::Column;
using table::DataType;

constexpr std::array<std::pair<ProxyMethod, std::string_view>, 5> kMethodNames = {{
    {ProxyMethod::kCramersV, "cramers_v"},
    {ProxyMethod::kCorrelationRatio, "correlation_ratio"},
    {ProxyMethod::kPearson, "pearson"},
    {ProxyMethod::kSpearman, "spearman"},
    {ProxyMethod::kMutualInformation, "mutual_information"},
}};

// One column on the measured rows: codes for a categorical one, values for a
// numeric one; `valid` per row.
struct ColumnView {
  std::string name;
  bool numeric = false;
  std::vector<int32_t> codes;  // categorical
  int32_t k = 0;
  std::vector<double> values;  // numeric
  std::vector<uint8_t> valid;
};

ColumnView MakeView(const Column& c, const std::vector<size_t>& rows) {
  ColumnView v;
  v.name = c.name();
  v.numeric = c.type() == DataType::kInt64 || c.type() == DataType::kFloat64;
  v.valid.resize(rows.size());
  std::unordered_map<std::string, int32_t> dict;  // string columns
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t i = rows[r];
    v.valid[r] = c.IsValid(i) ? 1 : 0;
    if (v.numeric) {
      v.values.push_back(v.valid[r] ? c.NumericAt(i) : 0.0);
    } else if (c.type() == DataType::kCategorical) {
      v.codes.push_back(v.valid[r] ? c.codes()[i] : -1);
    } else if (c.type() == DataType::kBool) {
      v.codes.push_back(v.valid[r] ? static_cast<int32_t>(c.bools()[i] != 0) : -1);
    } else {
      int32_t code = -1;
      if (v.valid[r]) {
        auto [it, added] =
            dict.emplace(std::string(c.TextAt(i)), static_cast<int32_t>(dict.size()));
        code = it->second;
      }
      v.codes.push_back(code);
    }
  }
  if (c.type() == DataType::kCategorical) v.k = static_cast<int32_t>(c.categories().size());
  if (c.type() == DataType::kBool) v.k = 2;
  if (c.type() == DataType::kString) v.k = static_cast<int32_t>(dict.size());
  return v;
}

// Codes of numeric values by equal-frequency bins (see proxies.h).
std::vector<int32_t> BinCodes(const std::vector<double>& x, int bins, int32_t* k) {
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> distinct = sorted;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<double> edges;
  std::vector<int32_t> codes(x.size());
  if (distinct.size() <= static_cast<size_t>(bins)) {
    for (size_t i = 0; i < x.size(); ++i) {
      codes[i] = static_cast<int32_t>(std::lower_bound(distinct.begin(), distinct.end(), x[i]) -
                                      distinct.begin());
    }
    *k = static_cast<int32_t>(distinct.size());
    return codes;
  }
  for (int j = 1; j < bins; ++j)
    edges.push_back(stats::QuantileSorted(sorted, static_cast<double>(j) / bins));
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  for (size_t i = 0; i < x.size(); ++i) {
    codes[i] =
        static_cast<int32_t>(std::upper_bound(edges.begin(), edges.end(), x[i]) - edges.begin());
  }
  *k = static_cast<int32_t>(edges.size() + 1);
  return codes;
}

// Entropy in nats of a coding (sklearn.metrics.cluster.entropy).
double Entropy(const std::vector<int32_t>& codes, int32_t k) {
  std::vector<double> counts(static_cast<size_t>(k), 0.0);
  for (int32_t c : codes) counts[static_cast<size_t>(c)] += 1;
  const double n = static_cast<double>(codes.size());
  double h = 0;
  for (double c : counts) {
    if (c > 0) h -= (c / n) * (std::log(c) - std::log(n));
  }
  return h;
}

double NormalisedMi(const std::vector<int32_t>& a, int32_t ka, const std::vector<int32_t>& b,
                    int32_t kb) {
  const double ha = Entropy(a, ka), hb = Entropy(b, kb);
  if (ha <= 0 || hb <= 0) return 0;
  const double mi = stats::MutualInformation(a, ka, b, kb);
  return std::clamp(mi / ((ha + hb) / 2), 0.0, 1.0);
}

double Finite(double v) { return std::isfinite(v) ? v : 0.0; }

bool Applies(ProxyMethod m, bool fnum, bool pnum) {
  switch (m) {
    case ProxyMethod::kCramersV:
      return !fnum && !pnum;
    case ProxyMethod::kCorrelationRatio:
      return fnum != pnum;
    case ProxyMethod::kPearson:
    case ProxyMethod::kSpearman:
      return fnum && pnum;
    case ProxyMethod::kMutualInformation:
      return true;
  }
  return false;
}

double Measure(ProxyMethod m, const ColumnView& f, const ColumnView& p,
               const std::vector<size_t>& both, int bins) {
  auto nums = [&](const ColumnView& v) {
    std::vector<double> out;
    out.reserve(both.size());
    for (size_t r : both) out.push_back(v.values[r]);
    return out;
  };
  auto codes = [&](const ColumnView& v, int32_t* k) {
    if (v.numeric) return BinCodes(nums(v), bins, k);
    std::vector<int32_t> out;
    out.reserve(both.size());
    for (size_t r : both) out.push_back(v.codes[r]);
    *k = v.k;
    return out;
  };
  int32_t kf = 0, kp = 0;
  switch (m) {
    case ProxyMethod::kCramersV: {
      auto a = codes(f, &kf), b = codes(p, &kp);
      return Finite(stats::CramersV(a, kf, b, kp));
    }
    case ProxyMethod::kCorrelationRatio: {
      const ColumnView& num = f.numeric ? f : p;
      const ColumnView& cat = f.numeric ? p : f;
      auto x = nums(num);
      int32_t k = 0;
      auto c = codes(cat, &k);
      return Finite(stats::CorrelationRatio(x, c, k));
    }
    case ProxyMethod::kPearson:
      return std::fabs(Finite(stats::Pearson(nums(f), nums(p))));
    case ProxyMethod::kSpearman:
      return std::fabs(Finite(stats::Spearman(nums(f), nums(p))));
    case ProxyMethod::kMutualInformation: {
      auto a = codes(f, &kf), b = codes(p, &kp);
      return NormalisedMi(a, kf, b, kp);
    }
  }
  return 0;
}

}  // namespace

std::string_view ProxyMethodName(ProxyMethod method) {
  for (const auto& [m, n] : kMethodNames) {
    if (m == method) return n;
  }
  return "unknown";
}

Result<ProxyMethod> ParseProxyMethod(std::string_view name) {
  std::vector<std::string_view> names;
  for (const auto& [m, n] : kMethodNames) {
    if (n == name) return m;
    names.push_back(n);
  }
  return InvalidArgumentError(
      fmt::format("unknown proxy method '{}' (valid: {})", name, fmt::join(names, ", ")));
}

Status ProxyOptions::Validate() const {
  if (!(threshold >= 0 && threshold <= 1)) {
    return InvalidArgumentError(
        fmt::format("proxy threshold: expected a number in [0, 1], got {}", threshold));
  }
  if (methods.empty()) return InvalidArgumentError("proxy methods: expected at least one method");
  if (bins < 2) {
    return InvalidArgumentError(fmt::format("proxy bins: expected at least 2, got {}", bins));
  }
  return Status::OK();
}

Result<std::vector<ProxyFinding>> FindProxies(const table::Table& table,
                                              const std::vector<std::string>& feature_columns,
                                              const std::vector<std::string>& protected_columns,
                                              const ProxyOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  std::vector<size_t> rows(table.num_rows());
  std::iota(rows.begin(), rows.end(), size_t{0});
  if (options.sample_rows > 0 && options.sample_rows < rows.size()) {
    core::Rng rng(options.seed);
    rng.Shuffle(rows);
    rows.resize(options.sample_rows);
    std::sort(rows.begin(), rows.end());
  }
  std::vector<ColumnView> prot;
  for (const auto& name : protected_columns) {
    MLPIPE_ASSIGN_OR_RETURN(const Column* c, table.GetColumn(name));
    prot.push_back(MakeView(*c, rows));
  }
  std::vector<ProxyFinding> findings;
  for (const auto& fname : feature_columns) {
    if (std::find(protected_columns.begin(), protected_columns.end(), fname) !=
        protected_columns.end()) {
      continue;  // the protected check reports direct use
    }
    MLPIPE_ASSIGN_OR_RETURN(const Column* fc, table.GetColumn(fname));
    const ColumnView f = MakeView(*fc, rows);
    for (const ColumnView& p : prot) {
      std::vector<size_t> both;
      for (size_t r = 0; r < rows.size(); ++r) {
        if (f.valid[r] && p.valid[r]) both.push_back(r);
      }
      for (ProxyMethod m : options.methods) {
        if (!Applies(m, f.numeric, p.numeric)) continue;
        ProxyFinding fd;
        fd.feature = f.name;
        fd.protected_column = p.name;
        fd.method = m;
        fd.rows = both.size();
        fd.value = both.size() < 2 ? 0.0 : Measure(m, f, p, both, options.bins);
        fd.flagged = fd.value > options.threshold;
        findings.push_back(std::move(fd));
      }
    }
  }
  std::stable_sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) {
    if (a.value != b.value) return a.value > b.value;
    return std::tie(a.feature, a.protected_column, a.method) <
           std::tie(b.feature, b.protected_column, b.method);
  });
  return findings;
}

Status RefuseProxies(const std::vector<ProxyFinding>& findings) {
  std::string msg;
  for (const auto& f : findings) {
    if (!f.flagged) continue;
    if (!msg.empty()) msg.push_back('\n');
    msg.append(fmt::format("feature '{}' is a proxy for protected column '{}' ({} = {:.3f})",
                           f.feature, f.protected_column, ProxyMethodName(f.method), f.value));
  }
  if (msg.empty()) return Status::OK();
  return FailedPreconditionError(msg);
}

}  // namespace mlpipe::governance
