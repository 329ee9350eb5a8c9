#include "http/error_mapping.h"

namespace rampart::http {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kMethodNotAllowed: return 405;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kConflict: return 409;
    case StatusCode::kUnprocessable: return 422;
    case StatusCode::kPreconditionFailed: return 412;
    case StatusCode::kPayloadTooLarge: return 413;
    case StatusCode::kRateLimited: return 429;
    case StatusCode::kFailedState: return 409;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

const char* ErrorCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kMethodNotAllowed: return "method_not_allowed";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kUnprocessable: return "unprocessable";
    case StatusCode::kPreconditionFailed: return "precondition_failed";
    case StatusCode::kPayloadTooLarge: return "payload_too_large";
    case StatusCode::kRateLimited: return "rate_limited";
    case StatusCode::kFailedState: return "conflict";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

nlohmann::json ErrorBody(const Status& status) {
  nlohmann::json details = nlohmann::json::object();
  if (!status.field().empty()) details["field"] = status.field();
  if (!status.reason().empty()) details["reason"] = status.reason();
  return {{"code", ErrorCodeFor(status)}, {"message", status.message()}, {"details", details}};
}

}  // namespace rampart::http
