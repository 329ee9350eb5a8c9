// Converting SQLite failures to Status: what a caller may retry, what names its input, and
// what is ours. SqliteStore::Run catches SQLiteCpp's exceptions and converts them here.
#pragma once

#include <SQLiteCpp/Exception.h>

#include "common/status.h"

namespace rampart::sqlite {

// kAlreadyExists for name uniqueness violations, kUnavailable when the disk, permissions or
// a lock refuse the work, kInternal (with a generic message) otherwise.
Status StatusFromSqliteException(const SQLite::Exception& e);

}  // namespace rampart::sqlite
