// TenancyFixture: a bootstrapped organization on a real SQLite store in a temp dir (with the
// access index kept current, as rampartd serve does), a fake clock, and the RequestContext
// of its admin key. Base for service and HTTP tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "service/request_context.h"
#include "authz/indexing_store.h"
#include "service/services.h"
#include "store/sqlite/sqlite_store.h"
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

  TempDir data_dir_;
  FakeClock clock_{kStart};
  std::unique_ptr<sqlite::SqliteStore> sqlite_;
  authz::AccessIndex index_;
  // The store the services use: SQLite, keeping index_ current.
  std::unique_ptr<authz::IndexingStore> store_;
  std::unique_ptr<Services> services_;
  TenancyService* tenancy_ = nullptr;  // services_->tenancy
  ApiKeyService* api_keys_ = nullptr;  // services_->api_keys
  CreatedOrganization organization_;
  RequestContext admin_;
};

}  // namespace rampart::testing
