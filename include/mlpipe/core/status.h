// Status and Result<T>: the one error type of mlpipe.
//
// Expected failures (bad input, missing file, unknown run) are returned, never
// thrown. A Status carries a code and a message that names what is at fault
// (file, line, column, field or key). The CLI maps codes to exit statuses and
// the server maps them to HTTP statuses, each in one place.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mlpipe {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad usage, bad spec, malformed input data
  kNotFound,            // file, column, run, model that does not exist
  kAlreadyExists,       // creating something that is there
  kFailedPrecondition,  // the state does not allow the operation
  kOutOfRange,          // a value outside what is allowed
  kDataLoss,            // corruption: checksum mismatch, truncated artifact
  kIoError,             // the operating system refused (permissions, disk full)
  kUnavailable,         // a service that cannot be reached
  kInternal,            // a bug in mlpipe
};

// Returns the stable lower-case name of `code`, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // The default Status is OK.
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: credit.csv:3: expected 21 fields, found 20"; "ok" when ok.
  std::string ToString() const;

  // Returns a copy whose message is "`context`: message". OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string msg) {
  return {StatusCode::kInvalidArgument, std::move(msg)};
}
inline Status NotFoundError(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
inline Status AlreadyExistsError(std::string msg) {
  return {StatusCode::kAlreadyExists, std::move(msg)};
}
inline Status FailedPreconditionError(std::string msg) {
  return {StatusCode::kFailedPrecondition, std::move(msg)};
}
inline Status OutOfRangeError(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
inline Status DataLossError(std::string msg) { return {StatusCode::kDataLoss, std::move(msg)}; }
inline Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
inline Status UnavailableError(std::string msg) {
  return {StatusCode::kUnavailable, std::move(msg)};
}
inline Status InternalError(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

// Either a value of type T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok()
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok());
  }
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace mlpipe

#define MLPIPE_CONCAT_INNER_(a, b) a##b
#define MLPIPE_CONCAT_(a, b) MLPIPE_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Status) and returns it from the enclosing function if not OK.
#define MLPIPE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::mlpipe::Status mlpipe_status_ = (expr);        \
    if (!mlpipe_status_.ok()) return mlpipe_status_; \
  } while (false)

// Evaluates `rexpr` (a Result<T>); on error returns its Status, otherwise moves
// the value into `lhs` (which may be a declaration, e.g. `auto table`).
#define MLPIPE_ASSIGN_OR_RETURN(lhs, rexpr) \
  MLPIPE_ASSIGN_OR_RETURN_IMPL_(MLPIPE_CONCAT_(mlpipe_result_, __LINE__), lhs, rexpr)
#define MLPIPE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                  \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
