// The Store contract (store/store.h), held by every store: SQLite in a temp dir by default,
// PostgreSQL in a database of the test's own when RAMPART_TEST_STORE=postgres (the `pg.`
// ctest variants). What only one store does is in sqlite_store_test.cc and pg_store_test.cc.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "audit/audit_chain.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_objects.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace rampart::testing {
namespace {

class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }

  // Closes the store and opens the same database again.
  void Reopen() {
    store_.reset();
    ASSERT_NO_FATAL_FAILURE(Open());
  }

  // Writes `work`, failing the test unless it commits; returns the write's change number.
  uint64_t Commit(const TransactionFunction& work) {
    uint64_t number = 0;
    Status status = store_->Write([&](StoreTransaction& t) {
      number = t.ChangeNumber();
      return work(t);
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return number;
  }

  // The change log after `after`, read as a replica reads it: in a read transaction.
  ChangeLog ChangesAfter(uint64_t after) {
    ChangeLog log;
    Status status = store_->Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(log, t.ReadChanges(after));
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return log;
  }

  std::vector<std::string> WorkspaceNames(const ListQuery& query) {
    std::vector<std::string> names;
    Status status = store_->Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(std::vector<Workspace> rows, t.Workspaces().List("org_1", "", query));
      for (const Workspace& row : rows) names.push_back(row.meta.name);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return names;
  }

  // Declared first so they outlive the store.
  TempDir data_dir_;
  TemporaryDatabase database_;
  std::unique_ptr<Store> store_;

 private:
  // The store RAMPART_TEST_STORE names, on this test's database.
  void Open() {
    if (TestsUsePostgres()) {
      if (database_.url().empty()) {
        Status created = database_.Create();
        ASSERT_TRUE(created.ok()) << created.message();
      }
      auto store = postgres::PgStore::Open(database_.url(), /*create_if_missing=*/true);
      ASSERT_TRUE(store.ok()) << store.status().message();
      store_ = std::move(store).value();
    } else {
      auto store = sqlite::SqliteStore::Open(data_dir_.str(), /*create_if_missing=*/true);
      ASSERT_TRUE(store.ok()) << store.status().message();
      store_ = std::move(store).value();
    }
  }
};

Status InsertAcme(StoreTransaction& t) { return t.InsertOrganization(MakeOrganization("org_1", "acme")); }

TEST_F(StoreContract, CommittedWritesSurviveReopen) {
  Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha"));
  });
  ASSERT_NO_FATAL_FAILURE(Reopen());
  Status status = store_->Read([](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Workspace workspace, t.Workspaces().GetByName("org_1", "org_1", "alpha"));
    EXPECT_EQ(workspace.meta.id, "ws_1");
    EXPECT_EQ(workspace.meta.labels.at("cost_center"), "cc-1");
    EXPECT_EQ(workspace.meta.updated_at, 2000);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_F(StoreContract, FailedTransactionLeavesNothingBehind) {
  Status status = store_->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    return Status::InvalidArgument("name", "rejected after the insert", "test");
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  store_->Read([](StoreTransaction& t) -> Status {
    EXPECT_TRUE(t.ListOrganizations()->empty());
    return Status::Ok();
  });
}

TEST_F(StoreContract, ExceptionInsideTransactionRollsBackAndStoreStaysUsable) {
  Status thrown = store_->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  Commit([](StoreTransaction& t) { return t.InsertOrganization(MakeOrganization("org_2", "globex")); });
  store_->Read([](StoreTransaction& t) -> Status {
    auto organizations = t.ListOrganizations();
    EXPECT_EQ(organizations->size(), 1u);
    EXPECT_EQ(organizations->front().meta.id, "org_2");
    return Status::Ok();
  });
}

TEST_F(StoreContract, DuplicateNameInParentIsAlreadyExists) {
  Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    Project project;
    project.meta = MakeWorkspace("org_1", "prj_1", "web").meta;
    project.workspace_id = "ws_1";
    return t.Projects().Insert(project);
  });
  Status workspace = store_->Write([](StoreTransaction& t) {
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_2", "alpha"));
  });
  EXPECT_EQ(workspace.code(), StatusCode::kAlreadyExists) << workspace.message();
  EXPECT_EQ(workspace.field(), "name");
  // A nested kind: unique within its workspace.
  Status project = store_->Write([](StoreTransaction& t) {
    Project twin;
    twin.meta = MakeWorkspace("org_1", "prj_2", "web").meta;
    twin.workspace_id = "ws_1";
    return t.Projects().Insert(twin);
  });
  EXPECT_EQ(project.code(), StatusCode::kAlreadyExists) << project.message();
  EXPECT_EQ(project.field(), "name");
}

TEST_F(StoreContract, DuplicateOrganizationNameIsAlreadyExists) {
  Commit(InsertAcme);
  Status status = store_->Write([](StoreTransaction& t) {
    return t.InsertOrganization(MakeOrganization("org_2", "acme"));
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.message();
  EXPECT_EQ(status.field(), "name");
}

TEST_F(StoreContract, RenamingOntoATakenNameIsAlreadyExists) {
  Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_2", "beta"));
  });
  Status status = store_->Write([](StoreTransaction& t) {
    return t.Workspaces().Update(MakeWorkspace("org_1", "ws_2", "alpha"));
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.message();
  EXPECT_EQ(status.field(), "name");
}

TEST_F(StoreContract, DuplicateGeneratedIdIsInternalNotNameTaken) {
  Status status = store_->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "beta"));
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.message();
}

TEST_F(StoreContract, UpdateNeverTouchesAnotherOrganizationsRow) {
  Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_2", "globex")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha"));
  });
  Status status = store_->Write([](StoreTransaction& t) {
    return t.Workspaces().Update(MakeWorkspace("org_2", "ws_1", "hijacked"));
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  store_->Read([](StoreTransaction& t) -> Status {
    EXPECT_EQ(t.Workspaces().GetById("org_1", "ws_1")->meta.name, "alpha");
    return Status::Ok();
  });
}

// A last-use stamp computed from a key read before a revocation must not undo it.
TEST_F(StoreContract, TouchingAKeyNeverUndoesItsRevocation) {
  ApiKeyRecord key;
  key.id = "key_1";
  key.organization_id = "org_1";
  key.secret_hash = "hash";
  Commit([&](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.InsertApiKey(key));
    return t.RevokeApiKey("org_1", "key_1", 500);
  });
  Commit([](StoreTransaction& t) { return t.TouchApiKey("key_1", 900, 60); });
  Commit([](StoreTransaction& t) { return t.RevokeApiKey("org_1", "key_1", 950); });
  store_->Read([](StoreTransaction& t) -> Status {
    auto stored = t.GetApiKey("key_1");
    EXPECT_EQ(stored->revoked_at, std::optional<TimestampMs>(500));
    EXPECT_FALSE(stored->last_used_at.has_value());
    return Status::Ok();
  });
}

TEST_F(StoreContract, SameNameInAnotherOrganizationIsAllowed) {
  Status status = store_->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_2", "globex")));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    return t.Workspaces().Insert(MakeWorkspace("org_2", "ws_2", "alpha"));
  });
  EXPECT_TRUE(status.ok()) << status.message();
  store_->Read([](StoreTransaction& t) -> Status {
    EXPECT_EQ(t.Workspaces().GetById("org_2", "ws_1").status().code(), StatusCode::kNotFound);
    return Status::Ok();
  });
}

TEST_F(StoreContract, AuditEventsComeBackChainedInAppendOrder) {
  Commit([](StoreTransaction& t) -> Status {
    for (int i = 0; i < 3; ++i) {
      // Out of time order on purpose: append order wins.
      RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(MakeAuditEvent("org_1", "evt_" + std::to_string(i), 100 - i)));
    }
    return Status::Ok();
  });
  store_->Read([](StoreTransaction& t) -> Status {
    auto events = t.ListAuditEvents("org_1", AuditQuery{});
    EXPECT_EQ(events->size(), 3u);
    ChainVerifier verifier;
    for (size_t i = 0; i < events->size(); ++i) {
      EXPECT_EQ((*events)[i].id, "evt_" + std::to_string(i));
      EXPECT_EQ((*events)[i].chain_index, static_cast<int64_t>(i + 1));
      verifier.Add((*events)[i]);
    }
    std::vector<ChainReport> reports = verifier.Reports();
    EXPECT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports.empty() || !reports.front().broken.has_value());
    EXPECT_TRUE(t.ListAuditEvents("org_2", AuditQuery{})->empty());
    return Status::Ok();
  });
}

TEST_F(StoreContract, EveryCommittedWriteTakesAGreaterChangeNumber) {
  const uint64_t before = ChangesAfter(0).newest;
  std::vector<uint64_t> numbers;
  numbers.push_back(Commit(InsertAcme));
  // A write that changes nothing still commits as a change.
  numbers.push_back(Commit([](StoreTransaction&) { return Status::Ok(); }));
  numbers.push_back(Commit([](StoreTransaction& t) -> Status {
    const uint64_t number = t.ChangeNumber();
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "alpha")));
    EXPECT_EQ(t.ChangeNumber(), number) << "a write has one change number";
    return Status::Ok();
  }));
  EXPECT_GT(numbers[0], before);
  for (size_t i = 1; i < numbers.size(); ++i) EXPECT_GT(numbers[i], numbers[i - 1]) << "write " << i;
  EXPECT_EQ(ChangesAfter(0).newest, numbers.back());
  // The count lives in the database, not in the process that opened it.
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_GT(Commit([](StoreTransaction&) { return Status::Ok(); }), numbers.back());
}

TEST_F(StoreContract, FailedWriteLeavesTheNewestChangeNumberUnchanged) {
  Commit(InsertAcme);
  const uint64_t before = ChangesAfter(0).newest;
  auto note_change = [](StoreTransaction& t) { return t.RecordChange("workspace", "org_1", "ws_gone"); };
  Status refused = store_->Write([&](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(note_change(t));
    return Status::InvalidArgument("name", "rejected after recording a change", "test");
  });
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  Status thrown = store_->Write([&](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(note_change(t));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  Status violated = store_->Write([&](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(note_change(t));
    return t.InsertOrganization(MakeOrganization("org_2", "acme"));
  });
  EXPECT_EQ(violated.code(), StatusCode::kAlreadyExists);

  ChangeLog log = ChangesAfter(before);
  EXPECT_EQ(log.newest, before);
  EXPECT_TRUE(log.objects.empty()) << "a rolled-back write's change log rows stay behind";
  EXPECT_GT(Commit([](StoreTransaction&) { return Status::Ok(); }), before);
}

TEST_F(StoreContract, ReadChangesReturnsLaterChangesInWriteOrder) {
  // Neither (kind) nor (id) order is the order they were recorded in.
  const uint64_t first = Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.RecordChange("workspace", "org_1", "ws_z"));
    RAMPART_RETURN_IF_ERROR(t.RecordChange("team", "org_1", "tm_a"));
    return t.RecordChange("organization", "org_1", "org_1");
  });
  const uint64_t second = Commit([](StoreTransaction& t) { return t.RecordChange("user", "org_2", "usr_b"); });
  const uint64_t third = Commit([](StoreTransaction&) { return Status::Ok(); });

  ChangeLog all = ChangesAfter(first - 1);
  EXPECT_EQ(all.newest, third);
  EXPECT_TRUE(all.complete);
  ASSERT_EQ(all.objects.size(), 4u);
  const std::vector<std::tuple<uint64_t, std::string, std::string, std::string>> expected = {
      {first, "workspace", "org_1", "ws_z"},
      {first, "team", "org_1", "tm_a"},
      {first, "organization", "org_1", "org_1"},
      {second, "user", "org_2", "usr_b"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    const ChangedObject& object = all.objects[i];
    EXPECT_EQ(std::tie(object.change, object.kind, object.organization_id, object.id), expected[i])
        << "object " << i;
  }

  ChangeLog after_first = ChangesAfter(first);
  ASSERT_EQ(after_first.objects.size(), 1u);
  EXPECT_EQ(after_first.objects.front().change, second);
  EXPECT_EQ(after_first.objects.front().id, "usr_b");
  EXPECT_TRUE(ChangesAfter(second).objects.empty());
  EXPECT_EQ(ChangesAfter(second).newest, third);
  EXPECT_TRUE(ChangesAfter(third).objects.empty());
}

TEST_F(StoreContract, PruningMakesOlderChangeLogsIncompleteAndKeepsNewerChanges) {
  std::vector<uint64_t> numbers;
  for (const char* id : {"ws_1", "ws_2", "ws_3"}) {
    numbers.push_back(Commit([&](StoreTransaction& t) { return t.RecordChange("workspace", "org_1", id); }));
  }
  Commit([&](StoreTransaction& t) { return t.PruneChanges(numbers[1]); });

  EXPECT_FALSE(ChangesAfter(0).complete);
  EXPECT_FALSE(ChangesAfter(numbers[0]).complete);
  ChangeLog kept = ChangesAfter(numbers[1]);
  EXPECT_TRUE(kept.complete);
  ASSERT_EQ(kept.objects.size(), 1u);
  EXPECT_EQ(kept.objects.front().change, numbers[2]);
  EXPECT_EQ(kept.objects.front().id, "ws_3");

  // Pruning less than was pruned already gives nothing back.
  Commit([&](StoreTransaction& t) { return t.PruneChanges(numbers[0]); });
  EXPECT_FALSE(ChangesAfter(numbers[0]).complete);
  EXPECT_EQ(ChangesAfter(numbers[1]).objects.size(), 1u);
}

// Byte order, whatever the database's locale: "B" < "Z" < "_" < "a" < "é" (0xC3 0xA9), so that
// pages and their cursors mean the same on every store.
TEST_F(StoreContract, ListsInByteOrderAcrossPages) {
  const std::vector<std::string> names = {"a", "\xC3\xA9t\xC3\xA9", "B", "_x", "b", "Z"};
  Commit([&](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    for (size_t i = 0; i < names.size(); ++i) {
      RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_" + std::to_string(i), names[i])));
    }
    return Status::Ok();
  });
  std::vector<std::string> listed;
  ListQuery query;
  query.limit = 2;
  for (int page = 0; page < 4; ++page) {
    std::vector<Workspace> rows;
    ASSERT_TRUE(store_->Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(rows, t.Workspaces().List("org_1", "", query));
      return Status::Ok();
    }).ok());
    if (rows.empty()) break;
    EXPECT_LE(rows.size(), 2u);
    for (const Workspace& row : rows) listed.push_back(row.meta.name);
    query.after_name = rows.back().meta.name;
    query.after_id = rows.back().meta.id;
  }
  EXPECT_EQ(listed, (std::vector<std::string>{"B", "Z", "_x", "a", "b", "\xC3\xA9t\xC3\xA9"}));
}

TEST_F(StoreContract, ListFiltersByEveryLabelAndByIds) {
  Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    Workspace alpha = MakeWorkspace("org_1", "ws_1", "alpha");  // team=alpha, cost_center=cc-1
    Workspace beta = MakeWorkspace("org_1", "ws_2", "beta");
    beta.meta.labels = {{"team", "beta"}, {"cost_center", "cc-1"}};
    Workspace bare = MakeWorkspace("org_1", "ws_3", "bare");
    bare.meta.labels.clear();
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(alpha));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(beta));
    return t.Workspaces().Insert(bare);
  });
  ListQuery cost_center;
  cost_center.labels = {{"cost_center", "cc-1"}};
  EXPECT_EQ(WorkspaceNames(cost_center), (std::vector<std::string>{"alpha", "beta"}));
  ListQuery both;
  both.labels = {{"cost_center", "cc-1"}, {"team", "beta"}};
  EXPECT_EQ(WorkspaceNames(both), (std::vector<std::string>{"beta"}));
  ListQuery unknown_key;
  unknown_key.labels = {{"region", ""}};
  EXPECT_TRUE(WorkspaceNames(unknown_key).empty()) << "a missing label is not an empty one";
  ListQuery ids;
  ids.ids = {"ws_3", "ws_1", "ws_missing"};
  EXPECT_EQ(WorkspaceNames(ids), (std::vector<std::string>{"alpha", "bare"}));
}

TEST_F(StoreContract, NamePrefixMatchesWildcardCharactersLiterally) {
  Commit([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(InsertAcme(t));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_1", "a_1")));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_2", "ab1")));
    RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", "ws_3", "a%2")));
    return t.Workspaces().Insert(MakeWorkspace("org_1", "ws_4", "A_3"));
  });
  ListQuery underscore;
  underscore.name_prefix = "a_";
  EXPECT_EQ(WorkspaceNames(underscore), (std::vector<std::string>{"a_1"}));
  ListQuery percent;
  percent.name_prefix = "a%";
  EXPECT_EQ(WorkspaceNames(percent), (std::vector<std::string>{"a%2"}));
}

}  // namespace
}  // namespace rampart::testing
