// Train/test splits as row-index vectors. Every split is a pure function of
// its inputs and seed (core::Rng, identical on every platform).
//
// The test set holds ceil(test_fraction * rows) rows (as scikit-learn
// computes it); test_fraction must be in (0, 1) and leave both sets non-empty.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::table {

struct Split {
  std::vector<size_t> train;  // row indices
  std::vector<size_t> test;
};

// A uniformly random split; both index lists in ascending order.
Result<Split> RandomSplit(size_t num_rows, double test_fraction, uint64_t seed);

// A random split that keeps each class of column `label` in the same
// proportion in both sets: the test rows are shared among classes in
// proportion to their size, largest remainders first (ties: the class seen
// first), then drawn at random within each class. Missing labels form a
// class of their own. Each class needs at least 2 rows. Ascending indices.
Result<Split> StratifiedSplit(const Table& table, const std::string& label, double test_fraction,
                              uint64_t seed);

// The rows with the largest values of `order_column` (numeric, or text
// compared bytewise, e.g. ISO dates) go to the test set; ties are broken by
// row position, later rows being newer. Both lists in ascending order of the
// column. The column must have no missing value.
Result<Split> OrderedSplit(const Table& table, const std::string& order_column,
                           double test_fraction);

}  // namespace mlpipe::table
