#include "store/sqlite/sqlite_status.h"

#include <sqlite3.h>

#include <string>

#include "store/store.h"

namespace rampart::sqlite {

Status StatusFromSqliteException(const SQLite::Exception& e) {
  // Only a name constraint is the caller's doing ("UNIQUE constraint failed:
  // workspaces.organization_id, workspaces.name"); a clash of generated ids is ours.
  std::string message = e.what();
  bool name_taken = e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE &&
                    message.size() >= 5 && message.compare(message.size() - 5, 5, ".name") == 0;
  if (name_taken) {
    return Status::Error(StatusCode::kAlreadyExists, "name: already taken in its parent", "name",
                         "taken");
  }
  auto unavailable = StorageUnavailable;
  switch (e.getErrorCode()) {
    case SQLITE_FULL: return unavailable("storage full: no space left on the data dir's disk");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN: return unavailable("storage read-only: rampartd cannot write to its data dir");
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return unavailable("storage busy: another process holds the database lock");
    case SQLITE_IOERR: return unavailable("storage I/O error on the data dir's disk");
    default: return Status::Internal("storage error");
  }
}

}  // namespace rampart::sqlite
