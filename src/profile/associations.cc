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
// Spearman correlates the ranks each column got among its own present values
// (kept from the per-column pass): equal to scipy.stats.spearmanr on the
// pairwise-complete rows when neither column has missing values, and close
// otherwise; re-ranking every pair would cost a sort per pair.
#include <algorithm>
#include <cmath>

#include "mlpipe/core/thread_pool.h"
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

void AccumulateNumeric(const ColumnData& x, const ColumnData& y, size_t begin, size_t end,
                       double* acc) {
  const double mx = x.mean, my = y.mean, rx = x.rank_mean, ry = y.rank_mean;
  double n = 0, s[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (size_t r = begin; r < end; ++r) {
    double a = x.values[r], b = y.values[r];
    if (std::isnan(a) || std::isnan(b)) continue;
    double dx = a - mx, dy = b - my;
    double ex = x.ranks[r] - rx, ey = y.ranks[r] - ry;
    n += 1;
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
void AccumulateCategorical(const ColumnData& x, const ColumnData& y, size_t begin, size_t end,
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

// Per group g: count, sum of (x - mean); then the total sum of squares about the mean.
void AccumulateMixed(const ColumnData& num, const ColumnData& cat, size_t begin, size_t end,
                     double* acc) {
  const int32_t k = cat.num_codes;
  const double m = num.mean;
  double q = 0;
  for (size_t r = begin; r < end; ++r) {
    double x = num.values[r];
    int32_t g = cat.codes[r];
    if (std::isnan(x) || g < 0) continue;
    double d = x - m;
    acc[2 * g] += 1;
    acc[2 * g + 1] += d;
    q += d * d;
  }
  acc[2 * static_cast<size_t>(k)] += q;
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
  double total = acc[2 * static_cast<size_t>(k)] - s * s / n;
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
  std::vector<PairJob> jobs;
  size_t results = 0, acc_total = 0;
  for (size_t i = 0; i < m; ++i) {
    if (!usable[i]) continue;
    for (size_t j = i + 1; j < m; ++j) {
      if (!usable[j]) continue;
      if (jobs.size() >= options.max_association_pairs) {
        ++out.pairs_skipped;
        continue;
      }
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
               results++,  acc_total, 2 * static_cast<size_t>(data[c].num_codes) + 1};
      }
      acc_total += job.acc_size;
      jobs.push_back(job);
    }
  }
  out.pairs.resize(results);
  if (jobs.empty()) return out;

  const size_t n = table.num_rows();
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
              const ColumnData& x = data[job.a];
              const ColumnData& y = data[job.b];
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
