// Converting PostgreSQL failures to Status, as StatusFromSqliteException does for SQLite, so
// that callers see the same codes whichever store they use.
#pragma once

#include <string>

#include "common/status.h"
#include "store/postgres/pg_connection.h"

namespace rampart::postgres {

// kUnavailable "the database is unreachable: <reason>": retryable (HTTP 503 + Retry-After).
Status Unreachable(const std::string& reason);

// kAlreadyExists (field "name") for a name uniqueness violation, kUnavailable when the
// server is unreachable, full, read-only or busy, kInternal (generic message) otherwise.
Status StatusFromPgError(const PgError& error);

}  // namespace rampart::postgres
