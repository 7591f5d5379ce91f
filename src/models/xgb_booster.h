// The XGBoost adapter: the only code that calls the XGBoost C API
// (xgb_booster.cc is the only file that includes <xgboost/c_api.h>). Every call
// is checked; a failure becomes a Status carrying XGBGetLastError(). Handles
// are owned with RAII. Internal to src/models (and its benchmark).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"

namespace mlpipe::models {

// A DMatrix built from a dense row-major float matrix; NaN = missing.
class XgbDMatrix {
 public:
  static Result<XgbDMatrix> FromDense(const float* values, size_t rows, size_t cols, int nthread);
  XgbDMatrix(XgbDMatrix&&) noexcept;
  XgbDMatrix& operator=(XgbDMatrix&&) noexcept;
  ~XgbDMatrix();

  // field: "label", "weight", "base_margin". REQUIRES: values.size() == rows.
  Status SetFloatInfo(const char* field, const std::vector<float>& values);
  void* handle() const { return handle_; }

 private:
  explicit XgbDMatrix(void* h) : handle_(h) {}
  void* handle_ = nullptr;
};

// What XGBoosterPredictFromDense computes.
enum class XgbPredictType { kValue = 0, kMargin = 1 };

// A booster. Training calls are not thread safe; Predict* and SaveJson may be
// called concurrently (they serialise on an internal mutex).
class XgbBooster {
 public:
  // A booster caching the given matrices (training and evaluation sets).
  static Result<XgbBooster> Create(const std::vector<const XgbDMatrix*>& cache);
  // A booster holding the model in `json` (XGBoost's JSON or UBJSON model).
  static Result<XgbBooster> Load(std::string_view bytes);
  XgbBooster(XgbBooster&&) noexcept;
  XgbBooster& operator=(XgbBooster&&) noexcept;
  ~XgbBooster();

  Status SetParam(const std::string& name, const std::string& value);
  Status UpdateOneIter(int iter, const XgbDMatrix& train);
  // The value of the first (default) metric on `data` after round `iter`,
  // parsed from "[iter]\tname-metric:value".
  Result<double> EvalOneIter(int iter, const XgbDMatrix& data, const std::string& name);
  // A booster with the trees of rounds [0, end).
  Result<XgbBooster> Slice(int end) const;
  Result<int> BoostedRounds() const;

  // In-place prediction on a dense matrix ("cache_id": 0, missing NaN,
  // strict_shape): rows x groups. REQUIRES: type is kValue or kMargin.
  Result<std::vector<float>> PredictDense(const float* values, size_t rows, size_t cols,
                                          XgbPredictType type) const;
  // SHAP contributions (XGBoosterPredictFromDMatrix, type 2; in-place
  // prediction does not offer them in 1.7): rows x groups x (cols + 1), the
  // last of each cols + 1 being the bias.
  Result<std::vector<float>> PredictContributions(const float* values, size_t rows,
                                                  size_t cols) const;
  // The raw result pointer of the same call, for benchmarks: no copy.
  // REQUIRES: the caller holds no other prediction in flight on this booster.
  Result<const float*> PredictDenseNoCopy(const float* values, size_t rows, size_t cols,
                                          XgbPredictType type) const;

  // XGBoost's JSON model (XGBoosterSaveModelToBuffer {"format": "json"}).
  Result<std::string> SaveJson() const;

 private:
  explicit XgbBooster(void* h) : handle_(h), mu_(std::make_unique<std::mutex>()) {}
  // The one in-place prediction both Predict paths make: XGBoost's result
  // buffer, valid until the next prediction on this booster.
  Result<std::span<const float>> PredictInPlace(const float* values, size_t rows, size_t cols,
                                                XgbPredictType type) const;
  void* handle_ = nullptr;
  std::unique_ptr<std::mutex> mu_;
};

}  // namespace mlpipe::models
