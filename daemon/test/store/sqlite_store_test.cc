#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <fstream>

#include "store/sqlite/migrations.h"
#include "support/temp_dir.h"

namespace rampart::sqlite {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteStore> OpenOrDie(const TempDir& dir) {
  auto store = SqliteStore::Open(dir.str(), /*create_if_missing=*/true);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return std::move(store).value();
}

Organization MakeOrganization(const std::string& id, const std::string& name) {
  Organization organization;
  organization.meta.id = id;
  organization.meta.organization_id = id;
  organization.meta.name = name;
  organization.meta.revision = 1;
  return organization;
}

Workspace MakeWorkspace(const std::string& organization_id, const std::string& id,
                        const std::string& name) {
  Workspace workspace;
  workspace.meta.id = id;
  workspace.meta.organization_id = organization_id;
  workspace.meta.name = name;
  workspace.meta.labels = {{"cost_center", "cc-1"}, {"team", "alpha"}};
  workspace.meta.created_at = 1000;
  workspace.meta.updated_at = 2000;
  workspace.meta.revision = 1;
  return workspace;
}

TEST(SqliteStore, CreatesSchemaAtNewestVersionInWalMode) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  EXPECT_EQ(store->SchemaVersion(), Migrations().back().version);
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

TEST(SqliteStore, CommittedWritesSurviveReopen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir);
    ASSERT_TRUE(store->Write([](StoreTransaction& t) {
      RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
      return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha"));
    }).ok());
  }
  auto store = OpenOrDie(dir);
  Status status = store->Read([](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace, t.Workspaces().GetByName("org_1", "org_1", "alpha"));
    EXPECT_EQ(workspace.meta.id, "ws_1");
    EXPECT_EQ(workspace.meta.labels.at("cost_center"), "cc-1");
    EXPECT_EQ(workspace.meta.updated_at, 2000);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST(SqliteStore, FailedTransactionLeavesNothingBehind) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  Status status = store->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    return Status::InvalidArgument("name", "rejected after the insert", "test");
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  store->Read([](StoreTransaction& t) -> Status {
    EXPECT_TRUE(t.ListOrganizations()->empty());
    return Status::Ok();
  });
}

TEST(SqliteStore, ExceptionInsideTransactionRollsBackAndStoreStaysUsable) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  Status thrown = store->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  Status next = store->Write([](StoreTransaction& t) {
    return t.InsertOrganization(MakeOrganization("org_2", "globex"));
  });
  EXPECT_TRUE(next.ok()) << next.message();
  store->Read([](StoreTransaction& t) -> Status {
    auto organizations = t.ListOrganizations();
    EXPECT_EQ(organizations->size(), 1u);
    EXPECT_EQ(organizations->front().meta.id, "org_2");
    return Status::Ok();
  });
}

TEST(SqliteStore, DuplicateNameInParentIsAlreadyExists) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  Status status = store->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_2", "alpha"));
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(status.field(), "name");
}

TEST(SqliteStore, DuplicateGeneratedIdIsInternalNotNameTaken) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  Status status = store->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "beta"));
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
}

TEST(SqliteStore, UpdateNeverTouchesAnotherOrganizationsRow) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  ASSERT_TRUE(store->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_2", "globex")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha"));
  }).ok());
  Status status = store->Write([](StoreTransaction& t) {
    return t.Workspaces().Update(MakeWorkspace("org_2", "ws_1", "hijacked"));
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  store->Read([](StoreTransaction& t) -> Status {
    EXPECT_EQ(t.Workspaces().GetById("org_1", "ws_1")->meta.name, "alpha");
    return Status::Ok();
  });
}

// A last-use stamp computed from a key read before a revocation must not undo it.
TEST(SqliteStore, TouchingAKeyNeverUndoesItsRevocation) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  ApiKeyRecord key;
  key.id = "key_1";
  key.organization_id = "org_1";
  key.secret_hash = "hash";
  ASSERT_TRUE(store->Write([&](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    RAMPART_RETURN_IF_ERROR(t.InsertApiKey(key));
    return t.RevokeApiKey("org_1", "key_1", 500);
  }).ok());
  ASSERT_TRUE(store->Write([](StoreTransaction& t) { return t.TouchApiKey("key_1", 900, 60); }).ok());
  ASSERT_TRUE(store->Write([](StoreTransaction& t) { return t.RevokeApiKey("org_1", "key_1", 950); }).ok());
  store->Read([](StoreTransaction& t) -> Status {
    auto stored = t.GetApiKey("key_1");
    EXPECT_EQ(stored->revoked_at, std::optional<TimestampMs>(500));
    EXPECT_FALSE(stored->last_used_at.has_value());
    return Status::Ok();
  });
}

TEST(SqliteStore, SameNameInAnotherOrganizationIsAllowed) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  Status status = store->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_2", "globex")));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    return t.Workspaces().Insert(MakeWorkspace("org_2", "ws_2", "alpha"));
  });
  EXPECT_TRUE(status.ok()) << status.message();
  store->Read([](StoreTransaction& t) -> Status {
    EXPECT_EQ(t.Workspaces().GetById("org_2", "ws_1").status().code(), StatusCode::kNotFound);
    return Status::Ok();
  });
}

TEST(SqliteStore, RefusesDatabaseFromNewerSchema) {
  TempDir dir;
  OpenOrDie(dir).reset();
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

TEST(SqliteStore, AuditEventsComeBackInAppendOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir);
  ASSERT_TRUE(store->Write([](StoreTransaction& t) -> Status {
    for (int i = 0; i < 3; ++i) {
      AuditEvent event;
      event.id = "evt_" + std::to_string(i);
      event.organization_id = "org_1";
      event.time = 100 - i;  // out of time order on purpose: append order wins
      event.action = "workspace.create";
      RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(event));
    }
    return Status::Ok();
  }).ok());
  store->Read([](StoreTransaction& t) -> Status {
    auto events = t.ListAuditEvents("org_1", AuditQuery{});
    EXPECT_EQ(events->size(), 3u);
    EXPECT_EQ(events->front().id, "evt_0");
    EXPECT_EQ(events->back().time, 98);
    EXPECT_TRUE(t.ListAuditEvents("org_2", AuditQuery{})->empty());
    return Status::Ok();
  });
}

}  // namespace
}  // namespace rampart::sqlite
