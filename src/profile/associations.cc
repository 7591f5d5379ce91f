// Associations between pairs of columns: Pearson and Spearman for numeric
// pairs, Cramér's V for categorical pairs, the correlation ratio for
// numeric-categorical pairs. Each pair uses the rows where both values are
// present.
//
// Speed: every pair is accumulated in one pass over the rows, the rows split
// into a fixed number of parts (so that the sums, merged in part order, do not
// depend on the thread count) and each part walked in cache-sized blocks with
// all pairs per block, so each column is read from memory about once.
// Numeric sums are taken about each column's mean, which keeps them well
// conditioned.
//
// Above options.association_sample_rows rows the pairs are computed on a
// fixed pseudo-random sample of rows (a row is in it when a hash of its index
// is under a threshold): the sums cost a pass per pair, more than the rest of
// the profile together on a large table, while the figures' sampling error is
// ~1/sqrt(sample). Small tables use every row and are exact.
//
// Spearman correlates the ranks each column's values have among its own
// present values in the rows used: equal to scipy.stats.spearmanr on the
// pairwise-complete rows when neither column has missing values, and close
// otherwise; re-ranking every pair would cost a sort per pair.
#include <algorithm>
#include <cmath>

#include "mlpipe/core/thread_pool.h"
#include "mlpipe/stats/sort.h"
#include "profile_internal.h"

namespace mlpipe::profile {

std::string_view AssociationMethodName(AssociationMethod method) {
  switch (method) {
    case AssociationMethod::kPearson:
      return "pearson";
    case AssociationMethod::kSpearman:
      return "spearman";
    case AssociationMethod::kCramersV:
      return "cramers_v";
    case AssociationMethod::kCorrelationRatio:
      return "correlation_ratio";
  }
  return "unknown";
}

}  // namespace mlpipe::profile

namespace mlpipe::profile::internal {
namespace {

using Kind = ColumnData::Kind;

constexpr size_t kParts = 16;    // fixed: results do not depend on the thread count
constexpr size_t kBlock = 4096;  // rows per cache block

struct PairJob {
  size_t a, b;              // column indexes; for a mixed pair, a is the numeric one
  AssociationMethod first;  // kPearson (then also kSpearman), kCramersV, kCorrelationRatio
  size_t slot;              // index of its first result
  size_t acc;               // offset of its accumulators
  size_t acc_size;
};

// Numeric pair accumulators: n, then for values and ranks: sx, sy, sxx, syy, sxy.
constexpr size_t kNumericAcc = 11;

// One column over the rows used.
struct Sample {
  // Numeric: the value (NaN when missing), its average rank (1-based) among
  // the column's present values here (NaN when missing), the mean of the
  // whole column's values and of the ranks, by which sums are shifted.
  std::vector<double> values, ranks;
  double mean = 0, rank_mean = 0;
  // Categorical: the code (-1 when missing) and the number of codes.
  std::vector<int32_t> codes;
  int32_t num_codes = 0;
};

// splitmix64's finaliser: row indexes to well-spread 64-bit values.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The rows of the sample, ascending; empty when every row is used.
std::vector<uint32_t> SampleRows(size_t n, size_t target) {
  std::vector<uint32_t> rows;
  if (target == 0 || n <= target) return rows;
  const auto threshold =
      static_cast<uint64_t>(std::ldexp(static_cast<double>(target) / static_cast<double>(n), 64));
  rows.reserve(target + target / 16);
  for (size_t r = 0; r < n; ++r) {
    if (Mix(r) < threshold) rows.push_back(static_cast<uint32_t>(r));
  }
  return rows;
}

Sample TakeSample(const table::Column& column, const ColumnData& data,
                  const std::vector<uint32_t>& rows, size_t n) {
  Sample s;
  auto row = [&](size_t i) -> size_t { return rows.empty() ? i : rows[i]; };
  if (data.kind == Kind::kCategorical) {
    s.num_codes = data.num_codes;
    s.codes.resize(n);
    const bool is_bool = column.type() == table::DataType::kBool;
    for (size_t i = 0; i < n; ++i) {
      const size_t r = row(i);
      s.codes[i] = !column.IsValid(r) ? -1
                   : is_bool          ? int32_t{column.bools()[r] != 0}
                                      : column.codes()[r];
    }
    return s;
  }
  s.mean = data.mean;
  s.values.resize(n);
  std::vector<uint64_t> keys;
  std::vector<uint32_t> at;
  for (size_t i = 0; i < n; ++i) {
    const size_t r = row(i);
    const double v = column.IsValid(r) ? column.NumericAt(r) : NAN;
    s.values[i] = v;
    if (std::isnan(v)) continue;
    keys.push_back(stats::OrderedKey(v));
    at.push_back(static_cast<uint32_t>(i));
  }
  stats::RadixSort(keys, at);
  s.ranks.assign(n, NAN);
  for (size_t i = 0; i < keys.size();) {
    size_t j = i + 1;
    while (j < keys.size() && keys[j] == keys[i]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;
    for (size_t k = i; k < j; ++k) s.ranks[at[k]] = rank;
    i = j;
  }
  s.rank_mean = (static_cast<double>(keys.size()) + 1) / 2;
  return s;
}

void AccumulateNumeric(const Sample& x, const Sample& y, size_t begin, size_t end, double* acc) {
  const double mx = x.mean, my = y.mean, rx = x.rank_mean, ry = y.rank_mean;
  double n = 0, s[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  // Branch-free: a missing value in a random ~5% of rows would make every
  // branch a coin flip. Zeros added for skipped rows leave the sums as they are.
  for (size_t r = begin; r < end; ++r) {
    const double a = x.values[r], b = y.values[r];
    const bool ok = !std::isnan(a) && !std::isnan(b);
    const double dx = ok ? a - mx : 0.0, dy = ok ? b - my : 0.0;
    const double ex = ok ? x.ranks[r] - rx : 0.0, ey = ok ? y.ranks[r] - ry : 0.0;
    n += ok ? 1.0 : 0.0;
    s[0] += dx;
    s[1] += dy;
    s[2] += dx * dx;
    s[3] += dy * dy;
    s[4] += dx * dy;
    s[5] += ex;
    s[6] += ey;
    s[7] += ex * ex;
    s[8] += ey * ey;
    s[9] += ex * ey;
  }
  acc[0] += n;
  for (int i = 0; i < 10; ++i) acc[1 + i] += s[i];
}

double PearsonFromSums(double n, const double* s) {
  if (n < 2) return NAN;
  double sxx = s[2] - s[0] * s[0] / n, syy = s[3] - s[1] * s[1] / n;
  double sxy = s[4] - s[0] * s[1] / n;
  if (sxx <= 0 || syy <= 0) return NAN;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

// Contingency counts, row-major ka x kb.
void AccumulateCategorical(const Sample& x, const Sample& y, size_t begin, size_t end,
                           double* acc) {
  const int32_t kb = y.num_codes;
  for (size_t r = begin; r < end; ++r) {
    int32_t a = x.codes[r], b = y.codes[r];
    if (a < 0 || b < 0) continue;
    acc[static_cast<size_t>(a) * kb + b] += 1;
  }
}

// Cramér's V without bias correction, as scipy.stats.contingency.association:
// sqrt(chi2 / (n * (min(rows, cols) - 1))) over the non-empty rows and columns.
double CramersVFromTable(const double* t, int32_t ka, int32_t kb, double* rows_out) {
  std::vector<double> ra(ka, 0), cb(kb, 0);
  double n = 0;
  for (int32_t i = 0; i < ka; ++i) {
    for (int32_t j = 0; j < kb; ++j) {
      double v = t[static_cast<size_t>(i) * kb + j];
      ra[i] += v;
      cb[j] += v;
      n += v;
    }
  }
  *rows_out = n;
  int32_t nr = 0, nc = 0;
  for (double v : ra) nr += v > 0;
  for (double v : cb) nc += v > 0;
  if (n < 2 || std::min(nr, nc) < 2) return NAN;
  double chi2 = 0;
  for (int32_t i = 0; i < ka; ++i) {
    if (ra[i] == 0) continue;
    for (int32_t j = 0; j < kb; ++j) {
      if (cb[j] == 0) continue;
      double e = ra[i] * cb[j] / n;
      double d = t[static_cast<size_t>(i) * kb + j] - e;
      chi2 += d * d / e;
    }
  }
  return std::sqrt(chi2 / (n * (std::min(nr, nc) - 1)));
}

// Per group g: count, sum of (x - mean); a group k that takes the rows with
// a missing value (so that the loop has no branch); then the total sum of
// squares about the mean.
void AccumulateMixed(const Sample& num, const Sample& cat, size_t begin, size_t end, double* acc) {
  const int32_t k = cat.num_codes;
  const double m = num.mean;
  double q = 0;
  for (size_t r = begin; r < end; ++r) {
    const double x = num.values[r];
    const int32_t code = cat.codes[r];
    const bool ok = !std::isnan(x) && code >= 0;
    const size_t g = static_cast<size_t>(ok ? code : k);
    const double d = ok ? x - m : 0.0;
    acc[2 * g] += 1;
    acc[2 * g + 1] += d;
    q += d * d;
  }
  acc[2 * static_cast<size_t>(k) + 2] += q;
}

// eta = sqrt(between-group / total sum of squares), from shifted sums.
double CorrelationRatioFromSums(const double* acc, int32_t k, double* rows_out) {
  double n = 0, s = 0, between = 0;
  for (int32_t g = 0; g < k; ++g) {
    double ng = acc[2 * g], sg = acc[2 * g + 1];
    if (ng == 0) continue;
    n += ng;
    s += sg;
    between += sg * sg / ng;
  }
  *rows_out = n;
  if (n < 2) return NAN;
  double total = acc[2 * static_cast<size_t>(k) + 2] - s * s / n;
  between -= s * s / n;
  if (total <= 0) return NAN;
  return std::sqrt(std::clamp(between / total, 0.0, 1.0));
}

}  // namespace

AssociationSummary ComputeAssociations(const table::Table& table,
                                       const std::vector<ColumnData>& data,
                                       const ProfileOptions& options) {
  AssociationSummary out;
  const size_t m = data.size();
  std::vector<bool> usable(m, false);
  for (size_t i = 0; i < m; ++i) {
    const ColumnData& d = data[i];
    usable[i] = d.kind == Kind::kNumeric ||
                (d.kind == Kind::kCategorical && d.num_codes > 0 &&
                 static_cast<size_t>(d.num_codes) <= options.max_association_categories);
    if (!usable[i]) out.excluded_columns.push_back(table.column(i).name());
  }
  // Pairs in order (i, j), i < j, up to the cap; those past it are counted,
  // not walked: the cost is linear in the pairs computed, not in all m^2 / 2.
  const uint64_t num_usable = static_cast<uint64_t>(std::count(usable.begin(), usable.end(), true));
  const uint64_t all_pairs = num_usable * (num_usable - (num_usable > 0 ? 1 : 0)) / 2;
  std::vector<PairJob> jobs;
  size_t results = 0, acc_total = 0;
  for (size_t i = 0; i < m && jobs.size() < options.max_association_pairs; ++i) {
    if (!usable[i]) continue;
    for (size_t j = i + 1; j < m && jobs.size() < options.max_association_pairs; ++j) {
      if (!usable[j]) continue;
      bool ni = data[i].kind == Kind::kNumeric, nj = data[j].kind == Kind::kNumeric;
      PairJob job;
      if (ni && nj) {
        job = {i, j, AssociationMethod::kPearson, results, acc_total, kNumericAcc};
        results += 2;
      } else if (!ni && !nj) {
        size_t size = static_cast<size_t>(data[i].num_codes) * data[j].num_codes;
        job = {i, j, AssociationMethod::kCramersV, results++, acc_total, size};
      } else {
        size_t c = ni ? j : i;
        job = {ni ? i : j, c,         AssociationMethod::kCorrelationRatio,
               results++,  acc_total, 2 * static_cast<size_t>(data[c].num_codes) + 3};
      }
      acc_total += job.acc_size;
      jobs.push_back(job);
    }
  }
  out.pairs_skipped = all_pairs - jobs.size();
  out.pairs.resize(results);
  if (jobs.empty()) return out;

  const std::vector<uint32_t> rows = SampleRows(table.num_rows(), options.association_sample_rows);
  const size_t n = rows.empty() ? table.num_rows() : rows.size();
  if (!rows.empty()) out.sample_rows = n;
  // Samples only of the columns some computed pair reads.
  std::vector<bool> needed(m, false);
  for (const PairJob& job : jobs) needed[job.a] = needed[job.b] = true;
  std::vector<Sample> samples(m);
  core::ThreadPool::Shared().ParallelFor(
      m,
      [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          if (needed[i]) samples[i] = TakeSample(table.column(i), data[i], rows, n);
        }
      },
      m);
  std::vector<std::vector<double>> parts(kParts);
  core::ThreadPool::Shared().ParallelFor(
      kParts,
      [&](size_t pb, size_t pe) {
        for (size_t part = pb; part < pe; ++part) {
          std::vector<double>& acc = parts[part];
          acc.assign(acc_total, 0);
          size_t begin = n * part / kParts, end = n * (part + 1) / kParts;
          for (size_t b = begin; b < end; b += kBlock) {
            size_t e = std::min(end, b + kBlock);
            for (const PairJob& job : jobs) {
              const Sample& x = samples[job.a];
              const Sample& y = samples[job.b];
              double* a = acc.data() + job.acc;
              if (job.first == AssociationMethod::kPearson) {
                AccumulateNumeric(x, y, b, e, a);
              } else if (job.first == AssociationMethod::kCramersV) {
                AccumulateCategorical(x, y, b, e, a);
              } else {
                AccumulateMixed(x, y, b, e, a);
              }
            }
          }
        }
      },
      kParts);
  std::vector<double> acc(acc_total, 0);
  for (const auto& part : parts) {  // in part order: deterministic
    for (size_t i = 0; i < acc_total; ++i) acc[i] += part[i];
  }
  for (const PairJob& job : jobs) {
    Association* r = &out.pairs[job.slot];
    r->a = table.column(job.a).name();
    r->b = table.column(job.b).name();
    r->method = job.first;
    const double* a = acc.data() + job.acc;
    double rows = 0;
    if (job.first == AssociationMethod::kPearson) {
      Association* s = &out.pairs[job.slot + 1];
      s->a = r->a;
      s->b = r->b;
      s->method = AssociationMethod::kSpearman;
      rows = a[0];
      r->value = PearsonFromSums(a[0], a + 1);
      s->value = PearsonFromSums(a[0], a + 6);
      s->rows = static_cast<uint64_t>(rows);
    } else if (job.first == AssociationMethod::kCramersV) {
      r->value = CramersVFromTable(a, data[job.a].num_codes, data[job.b].num_codes, &rows);
    } else {
      r->value = CorrelationRatioFromSums(a, data[job.b].num_codes, &rows);
    }
    r->rows = static_cast<uint64_t>(rows);
  }
  return out;
}

}  // namespace mlpipe::profile::internal
