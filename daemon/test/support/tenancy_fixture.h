// TenancyFixture: a bootstrapped organization on a real store (with the access index kept
// current, as rampartd serve does), a fake clock, and the RequestContext of its admin key.
// Base for service and HTTP tests.
//
// The store is SQLite in a temp dir, or, when RAMPART_TEST_STORE=postgres (the `pg.` ctest
// variants), PostgreSQL in a database of the test's own (support/postgres_server.h).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "service/request_context.h"
#include "authz/indexing_store.h"
#include "service/services.h"
#include "store/store.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

namespace rampart::testing {

class TenancyFixture : public ::testing::Test {
 protected:
  static constexpr TimestampMs kStart = kTestStart;

  void SetUp() override;

  // Audit events of the bootstrapped organization, oldest first.
  std::vector<AuditEvent> AuditEvents();
  std::vector<AuditEvent> AuditEventsOf(const std::string& organization_id);

  // Whether the store is PostgreSQL, for the few tests whose raw SQL differs by dialect.
  bool OnPostgres() const { return !database_.url().empty(); }
  // Another store on the same database, as a second replica would open it (on SQLite, a
  // second connection to the same file).
  std::unique_ptr<Store> OpenStoreOfAnotherReplica();
  // Runs `sql` on the store's database behind the store's back: for tests that tamper with
  // rows or inject faults. Fails the test when the database refuses it.
  void ExecuteRawSql(const std::string& sql);

  // Declared first so they outlive every connection to them, subclasses' included.
  TempDir data_dir_;            // holds the SQLite database (unused on PostgreSQL)
  TemporaryDatabase database_;  // the PostgreSQL database (none on SQLite)
  FakeClock clock_{kStart};
  // The store itself, SQLite or PostgreSQL, without the index in front.
  std::unique_ptr<Store> unindexed_store_;
  authz::AccessIndex index_;
  // The store the services use: unindexed_store_, keeping index_ current.
  std::unique_ptr<authz::IndexingStore> store_;
  std::unique_ptr<Services> services_;
  TenancyService* tenancy_ = nullptr;  // services_->tenancy
  ApiKeyService* api_keys_ = nullptr;  // services_->api_keys
  CreatedOrganization organization_;
  RequestContext admin_;
};

}  // namespace rampart::testing
