// The thread-local last error and the functions that need no model.
#include "handle.h"

#ifndef MLPIPE_VERSION
#define MLPIPE_VERSION "0.0.0"
#endif

namespace mlpipe::capi {

// The C codes are mlpipe's StatusCode values.
static_assert(static_cast<int>(StatusCode::kInvalidArgument) == MLPIPE_ERR_INVALID_ARGUMENT);
static_assert(static_cast<int>(StatusCode::kNotFound) == MLPIPE_ERR_NOT_FOUND);
static_assert(static_cast<int>(StatusCode::kAlreadyExists) == MLPIPE_ERR_ALREADY_EXISTS);
static_assert(static_cast<int>(StatusCode::kFailedPrecondition) == MLPIPE_ERR_FAILED_PRECONDITION);
static_assert(static_cast<int>(StatusCode::kOutOfRange) == MLPIPE_ERR_OUT_OF_RANGE);
static_assert(static_cast<int>(StatusCode::kDataLoss) == MLPIPE_ERR_DATA_LOSS);
static_assert(static_cast<int>(StatusCode::kIoError) == MLPIPE_ERR_IO);
static_assert(static_cast<int>(StatusCode::kUnavailable) == MLPIPE_ERR_UNAVAILABLE);
static_assert(static_cast<int>(StatusCode::kInternal) == MLPIPE_ERR_INTERNAL);

namespace {
thread_local std::string last_error;
}  // namespace

int Report(const Status& status) {
  if (status.ok()) return MLPIPE_OK;
  try {
    last_error = status.message();
  } catch (...) {
    // No memory for the message: the code alone still tells the caller.
  }
  return static_cast<int>(status.code());
}

}  // namespace mlpipe::capi

extern "C" {

const char* mlpipe_version(void) { return MLPIPE_VERSION; }

const char* mlpipe_last_error(void) { return mlpipe::capi::last_error.c_str(); }

}  // extern "C"
