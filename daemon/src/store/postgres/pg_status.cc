#include "store/postgres/pg_status.h"

#include "store/store.h"

namespace rampart::postgres {
namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Status Unreachable(const std::string& reason) {
  return Status::Error(StatusCode::kUnavailable, "the database is unreachable: " + reason, "",
                       "storage_unavailable");
}

Status StatusFromPgError(const PgError& error) {
  if (error.connection_lost()) return Unreachable(error.what());
  const std::string& state = error.sqlstate();
  // Only a name constraint is the caller's doing: the schema's UNIQUE (..., name)
  // constraints are all named "<table>_..._name_key" by PostgreSQL; a clash of generated
  // ids (a primary key) is ours.
  if (state == "23505" && EndsWith(error.constraint(), "_name_key")) {
    return Status::Error(StatusCode::kAlreadyExists, "name: already taken in its parent", "name", "taken");
  }
  // Text PostgreSQL cannot hold; the HTTP layer refuses it first, this is the backstop.
  if (state == "22021") return Status::InvalidArgument("", "a value is not valid UTF-8 text or holds a NUL", "not_utf8");
  if (state == "53100") return StorageUnavailable("storage full: no space left on the database server's disk");
  if (state.rfind("53", 0) == 0) return StorageUnavailable("database server out of resources");
  if (state == "25006") return StorageUnavailable("storage read-only: the database server refuses writes");
  if (state.rfind("40", 0) == 0 || state == "55P03") {
    return StorageUnavailable("storage busy: the database server could not serialize the change");
  }
  return Status::Internal("storage error");
}

}  // namespace rampart::postgres
