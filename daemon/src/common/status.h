// Status and Result<T>: errors as values across module boundaries.
//
// A Status carries a code, a message for humans that names the offending field first, and
// optionally the field and a machine-readable reason. The HTTP layer maps codes to statuses
// in exactly one place (http/error_mapping.cc). Immutable after construction; thread-safe to
// share.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rampart {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // bad input: malformed, unknown field, wrong type, invalid value
  kUnauthenticated,     // no valid credential
  kPermissionDenied,    // valid credential, missing permission
  kNotFound,            // no such object in the caller's organization
  kMethodNotAllowed,    // the path exists, but not with this method
  kAlreadyExists,       // a name already taken within its parent
  kConflict,            // the object is in use or the state forbids the change
  kUnprocessable,       // well-formed, but refers to something that does not exist
  kPreconditionFailed,  // If-Match does not match the current revision
  kPayloadTooLarge,     // the request body exceeds the server's limit
  kRateLimited,         // the caller's organization exceeded its request rate; retry later
  kFailedState,         // the data dir is not in the state the command needs
  kUnavailable,         // the storage cannot take the request now (disk full, read-only, busy)
  kInternal,            // a fault of ours or of the environment, never of the input
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(StatusCode code, std::string message, std::string field = "",
                      std::string reason = "") {
    return Status(code, std::move(message), std::move(field), std::move(reason));
  }
  static Status InvalidArgument(std::string field, std::string problem, std::string reason) {
    std::string message = field.empty() ? problem : field + ": " + problem;
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field),
                  std::move(reason));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message), "", "not_found");
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message), "", "internal");
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }

 private:
  Status(StatusCode code, std::string message, std::string field, std::string reason)
      : code_(code),
        message_(std::move(message)),
        field_(std::move(field)),
        reason_(std::move(reason)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::string reason_;
};

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace rampart

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define RAMPART_RETURN_IF_ERROR(expr)        \
  do {                                       \
    ::rampart::Status status_macro_ = (expr); \
    if (!status_macro_.ok()) return status_macro_; \
  } while (0)

#define RAMPART_CONCAT_INNER(a, b) a##b
#define RAMPART_CONCAT(a, b) RAMPART_CONCAT_INNER(a, b)
// Declares `lhs` from a Result-yielding `expr`, or returns its Status.
#define RAMPART_ASSIGN_OR_RETURN(lhs, expr) \
  RAMPART_ASSIGN_OR_RETURN_IMPL(RAMPART_CONCAT(result_macro_, __LINE__), lhs, expr)
#define RAMPART_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
