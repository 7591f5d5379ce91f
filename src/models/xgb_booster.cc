#include "xgb_booster.h"

#include <cstdlib>
#include <exception>
#include <limits>
#include <sstream>

#include <xgboost/c_api.h>

namespace mlpipe::models {

namespace {

// Maps an XGBoost return code to a Status naming the call.
Status Check(int rc, const char* call) {
  if (rc == 0) return Status::OK();
  const char* err = XGBGetLastError();
  return InternalError(std::string("xgboost ") + call +
                       " failed: " + (err != nullptr ? err : "(no message)"));
}

// Runs `fn` (which returns the C API's int) and catches anything that escapes.
template <typename F>
Status Call(const char* call, F&& fn) {
  try {
    return Check(fn(), call);
  } catch (const std::exception& e) {
    return InternalError(std::string("xgboost ") + call + " threw: " + e.what());
  } catch (...) {
    return InternalError(std::string("xgboost ") + call + " threw");
  }
}

// The __array_interface__ JSON of a dense float32 row-major matrix.
std::string ArrayInterface(const float* values, size_t rows, size_t cols) {
  std::ostringstream os;
  os << R"({"data": [)" << reinterpret_cast<uintptr_t>(values) << R"(, true], "shape": [)" << rows
     << ", " << cols << R"(], "strides": null, "typestr": "<f4", "version": 3})";
  return os.str();
}

}  // namespace

Result<XgbDMatrix> XgbDMatrix::FromDense(const float* values, size_t rows, size_t cols,
                                         int nthread) {
  DMatrixHandle h = nullptr;
  MLPIPE_RETURN_IF_ERROR(Call("XGDMatrixCreateFromMat_omp", [&] {
    return XGDMatrixCreateFromMat_omp(values, rows, cols, std::numeric_limits<float>::quiet_NaN(),
                                      &h, nthread);
  }));
  return XgbDMatrix(h);
}

XgbDMatrix::XgbDMatrix(XgbDMatrix&& o) noexcept : handle_(o.handle_) { o.handle_ = nullptr; }
XgbDMatrix& XgbDMatrix::operator=(XgbDMatrix&& o) noexcept {
  std::swap(handle_, o.handle_);
  return *this;
}
XgbDMatrix::~XgbDMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

Status XgbDMatrix::SetFloatInfo(const char* field, const std::vector<float>& values) {
  return Call("XGDMatrixSetFloatInfo",
              [&] { return XGDMatrixSetFloatInfo(handle_, field, values.data(), values.size()); });
}

Result<XgbBooster> XgbBooster::Create(const std::vector<const XgbDMatrix*>& cache) {
  std::vector<DMatrixHandle> hs;
  for (const XgbDMatrix* m : cache) hs.push_back(m->handle());
  BoosterHandle h = nullptr;
  MLPIPE_RETURN_IF_ERROR(
      Call("XGBoosterCreate", [&] { return XGBoosterCreate(hs.data(), hs.size(), &h); }));
  return XgbBooster(h);
}

Result<XgbBooster> XgbBooster::Load(std::string_view bytes) {
  BoosterHandle h = nullptr;
  MLPIPE_RETURN_IF_ERROR(Call("XGBoosterCreate", [&] { return XGBoosterCreate(nullptr, 0, &h); }));
  XgbBooster b(h);
  MLPIPE_RETURN_IF_ERROR(Call("XGBoosterLoadModelFromBuffer", [&] {
    return XGBoosterLoadModelFromBuffer(h, bytes.data(), bytes.size());
  }));
  return b;
}

XgbBooster::XgbBooster(XgbBooster&& o) noexcept : handle_(o.handle_), mu_(std::move(o.mu_)) {
  o.handle_ = nullptr;
}
XgbBooster& XgbBooster::operator=(XgbBooster&& o) noexcept {
  std::swap(handle_, o.handle_);
  std::swap(mu_, o.mu_);
  return *this;
}
XgbBooster::~XgbBooster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Status XgbBooster::SetParam(const std::string& name, const std::string& value) {
  return Call("XGBoosterSetParam",
              [&] { return XGBoosterSetParam(handle_, name.c_str(), value.c_str()); })
      .WithContext(name + "=" + value);
}

Status XgbBooster::UpdateOneIter(int iter, const XgbDMatrix& train) {
  return Call("XGBoosterUpdateOneIter",
              [&] { return XGBoosterUpdateOneIter(handle_, iter, train.handle()); });
}

Result<double> XgbBooster::EvalOneIter(int iter, const XgbDMatrix& data, const std::string& name) {
  DMatrixHandle dm[1] = {data.handle()};
  const char* names[1] = {name.c_str()};
  const char* out = nullptr;
  MLPIPE_RETURN_IF_ERROR(Call("XGBoosterEvalOneIter", [&] {
    return XGBoosterEvalOneIter(handle_, iter, dm, names, 1, &out);
  }));
  // "[3]\tvalid-logloss:0.512345"
  std::string s = out != nullptr ? out : "";
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) {
    return InternalError("xgboost XGBoosterEvalOneIter: unexpected output \"" + s + "\"");
  }
  return std::strtod(s.c_str() + colon + 1, nullptr);
}

Result<XgbBooster> XgbBooster::Slice(int end) const {
  BoosterHandle h = nullptr;
  MLPIPE_RETURN_IF_ERROR(
      Call("XGBoosterSlice", [&] { return XGBoosterSlice(handle_, 0, end, 1, &h); }));
  return XgbBooster(h);
}

Result<int> XgbBooster::BoostedRounds() const {
  int n = 0;
  MLPIPE_RETURN_IF_ERROR(
      Call("XGBoosterBoostedRounds", [&] { return XGBoosterBoostedRounds(handle_, &n); }));
  return n;
}

Result<std::span<const float>> XgbBooster::PredictInPlace(const float* values, size_t rows,
                                                          size_t cols, XgbPredictType type) const {
  const std::string array = ArrayInterface(values, rows, cols);
  // "cache_id": 0 is required by XGBoost 1.7's in-place prediction.
  const std::string config = R"({"type": )" + std::to_string(static_cast<int>(type)) +
                             R"(, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
                             R"( "strict_shape": true, "cache_id": 0, "missing": NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  MLPIPE_RETURN_IF_ERROR(Call("XGBoosterPredictFromDense", [&] {
    return XGBoosterPredictFromDense(handle_, array.c_str(), config.c_str(), nullptr, &shape, &dim,
                                     &result);
  }));
  size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  return std::span<const float>(result, n);
}

Result<const float*> XgbBooster::PredictDenseNoCopy(const float* values, size_t rows, size_t cols,
                                                    XgbPredictType type) const {
  MLPIPE_ASSIGN_OR_RETURN(std::span<const float> out, PredictInPlace(values, rows, cols, type));
  return out.data();
}

Result<std::vector<float>> XgbBooster::PredictDense(const float* values, size_t rows, size_t cols,
                                                    XgbPredictType type) const {
  std::lock_guard<std::mutex> lock(*mu_);
  MLPIPE_ASSIGN_OR_RETURN(std::span<const float> out, PredictInPlace(values, rows, cols, type));
  return std::vector<float>(out.begin(), out.end());
}

Result<std::vector<float>> XgbBooster::PredictContributions(const float* values, size_t rows,
                                                            size_t cols) const {
  MLPIPE_ASSIGN_OR_RETURN(XgbDMatrix dm, XgbDMatrix::FromDense(values, rows, cols, 1));
  std::lock_guard<std::mutex> lock(*mu_);
  const char* config = R"({"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
                       R"( "strict_shape": true})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  MLPIPE_RETURN_IF_ERROR(Call("XGBoosterPredictFromDMatrix", [&] {
    return XGBoosterPredictFromDMatrix(handle_, dm.handle(), config, &shape, &dim, &result);
  }));
  size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  return std::vector<float>(result, result + n);
}

Result<std::string> XgbBooster::SaveJson() const {
  std::lock_guard<std::mutex> lock(*mu_);
  bst_ulong len = 0;
  const char* data = nullptr;
  MLPIPE_RETURN_IF_ERROR(Call("XGBoosterSaveModelToBuffer", [&] {
    return XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &len, &data);
  }));
  return std::string(data, len);
}

}  // namespace mlpipe::models
