// The SQLite schema, as an ordered list of migrations. A database records the versions it
// has applied in `schema_version`; start-up applies the missing ones, each in its own
// transaction, and refuses a database whose version is newer than the newest known here.
#pragma once

#include <vector>

namespace rampart::sqlite {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// Ascending by version, starting at 1, without gaps. Never edit a released entry: add one.
const std::vector<Migration>& Migrations();

}  // namespace rampart::sqlite
