// The PostgreSQL schema: the same tables, columns and constraints as SQLite's
// (store/sqlite/migrations.cc), as an ordered list of migrations numbered like SQLite's.
// PostgreSQL databases start at version 12, created in one step; every later version is
// added to both lists.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "store/postgres/pg_connection.h"

namespace rampart::postgres {

struct PgMigration {
  int version;
  std::string description;
  std::string sql;
};

// Ascending by version. Never edit a released entry: add one.
const std::vector<PgMigration>& PgMigrations();

// Applies the missing migrations in one transaction holding the migration advisory lock, so
// that replicas opening the database at once take turns (the later ones find the work done).
// kFailedState when the database holds no Rampart schema and !create_if_missing (telling
// how to bootstrap `redacted_url`), or a newer one than this rampartd knows. Throws PgError.
Status Migrate(PgConnection& connection, bool create_if_missing, const std::string& redacted_url);

// The newest version recorded in the database.
int RecordedSchemaVersion(PgConnection& connection);

}  // namespace rampart::postgres
