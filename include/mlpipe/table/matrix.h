// DenseMatrix: the numeric, row-major matrix that a fitted feature pipeline
// produces and that estimators consume. A missing value is NaN here (the one
// place where it is): tree models route it, linear models refuse it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace mlpipe::table {

struct DenseMatrix {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> values;       // rows * cols, row-major
  std::vector<std::string> names;  // cols feature names

  DenseMatrix() = default;
  DenseMatrix(size_t r, size_t c) : rows(r), cols(c), values(r * c, 0.0f), names(c) {}

  float at(size_t r, size_t c) const { return values[r * cols + c]; }
  float& at(size_t r, size_t c) { return values[r * cols + c]; }
  const float* row(size_t r) const { return values.data() + r * cols; }

  // The given rows, in that order.
  DenseMatrix TakeRows(const std::vector<size_t>& rows_to_take) const {
    DenseMatrix m(rows_to_take.size(), cols);
    m.names = names;
    for (size_t i = 0; i < rows_to_take.size(); ++i) {
      const float* src = row(rows_to_take[i]);
      std::copy(src, src + cols, m.values.data() + i * cols);
    }
    return m;
  }
};

}  // namespace mlpipe::table
