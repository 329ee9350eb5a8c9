// What only the SQLite store does: its file in the data dir, WAL journal, and refusing a file
// it cannot trust. What every store does is in store_contract_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <fstream>

#include "store/sqlite/migrations.h"
#include "support/temp_dir.h"

namespace rampart::sqlite {
namespace {

using testing::TempDir;

TEST(SqliteStore, CreatesSchemaAtNewestVersionInWalMode) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.str(), /*create_if_missing=*/true);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->SchemaVersion(), Migrations().back().version);
  SQLite::Database raw(SqliteStore::DatabasePath(dir.str()));
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteStore, RefusesMissingDatabaseWhenNotCreating) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.str(), /*create_if_missing=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedState);
  EXPECT_NE(store.status().message().find("rampartd bootstrap"), std::string::npos);
}

TEST(SqliteStore, RefusesDatabaseFromNewerSchema) {
  TempDir dir;
  ASSERT_TRUE(SqliteStore::Open(dir.str(), /*create_if_missing=*/true).ok());
  {
    SQLite::Database raw(SqliteStore::DatabasePath(dir.str()), SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)");
  }
  auto store = SqliteStore::Open(dir.str(), /*create_if_missing=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedState);
  EXPECT_NE(store.status().message().find("schema version 999"), std::string::npos);
}

TEST(SqliteStore, RefusesCorruptDatabase) {
  TempDir dir;
  {
    std::ofstream garbage(SqliteStore::DatabasePath(dir.str()), std::ios::binary);
    garbage << std::string(8192, 'x');
  }
  auto store = SqliteStore::Open(dir.str(), /*create_if_missing=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedState);
  EXPECT_NE(store.status().message().find("rampart.db"), std::string::npos);
}

}  // namespace
}  // namespace rampart::sqlite
