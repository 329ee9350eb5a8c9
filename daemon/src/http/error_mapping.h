// The one place where a Status becomes an HTTP status and error body
// (`{"code", "message", "details": {"field", "reason"}}`, proto/rampart/v1/errors.proto).
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace rampart::http {

int HttpStatusFor(StatusCode code);
// The `code` string of the error body.
const char* ErrorCodeFor(const Status& status);
nlohmann::json ErrorBody(const Status& status);

}  // namespace rampart::http
