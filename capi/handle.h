// What a mlpipe_model handle holds, and the one wrapper that turns a Status,
// or anything thrown, into the C API's int status and thread-local message.
#pragma once

#include <memory>
#include <new>
#include <string>
#include <unordered_set>
#include <vector>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/c_api.h"
#include "mlpipe/core/status.h"

// The handle. Immutable after load, so any number of threads may score on it.
struct mlpipe_model {
  std::unique_ptr<mlpipe::bundle::Predictor> predictor;
  // Schema positions of the numeric (bool, int64, float64) and categorical
  // (categorical, string) columns: the two inputs of mlpipe_predict_matrix.
  std::vector<size_t> numeric_columns;
  std::vector<size_t> categorical_columns;
  // The schema's column names, in order and as a set (the unknown-key check
  // of JSON rows, once per key).
  std::vector<std::string> column_names;
  std::unordered_set<std::string> column_set;
};

namespace mlpipe::capi {

// Records `status` as this thread's last error and returns its code (0 when ok).
int Report(const Status& status);

// Runs `fn` (returning a Status) and reports its outcome. Nothing escapes: an
// exception becomes MLPIPE_ERR_INTERNAL with its message.
template <typename Fn>
int Guard(Fn&& fn) noexcept {
  try {
    return Report(fn());
  } catch (const std::bad_alloc&) {
    return Report(InternalError("out of memory"));
  } catch (const std::exception& e) {
    return Report(InternalError(std::string("internal error: ") + e.what()));
  } catch (...) {
    return Report(InternalError("internal error: unknown exception"));
  }
}

// InvalidArgument "NAME: NULL pointer" unless `p` is set.
inline Status NotNull(const void* p, const char* name) {
  return p != nullptr ? Status::OK() : InvalidArgumentError(std::string(name) + ": NULL pointer");
}

}  // namespace mlpipe::capi
