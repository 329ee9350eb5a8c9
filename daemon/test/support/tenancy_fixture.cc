#include "support/tenancy_fixture.h"

namespace rampart::testing {
namespace {

AuditQuery AllEvents() {
  AuditQuery query;
  query.limit = 1000000;
  return query;
}

}  // namespace

void TenancyFixture::SetUp() {
  auto store = sqlite::SqliteStore::Open(data_dir_.str(), /*create_if_missing=*/true);
  ASSERT_TRUE(store.ok()) << store.status().message();
  sqlite_ = std::move(store).value();
  store_ = std::make_unique<authz::IndexingStore>(*sqlite_, index_);
  ASSERT_TRUE(store_->Load().ok());
  services_ = std::make_unique<Services>(*store_, clock_, index_);
  tenancy_ = &services_->tenancy;
  api_keys_ = &services_->api_keys;
  auto created = tenancy_->Bootstrap("acme");
  ASSERT_TRUE(created.ok()) << created.status().message();
  organization_ = created.value();
  admin_.organization_id = organization_.organization.meta.id;
  admin_.key_id = organization_.key_id;
  admin_.actor = "key:" + organization_.key_id;
  admin_.system_admin = true;
  admin_.principal_type = kPrincipalApiKey;
  admin_.principal_id = organization_.key_id;
  admin_.request_id = "req-test";
}

std::vector<AuditEvent> TenancyFixture::AuditEvents() {
  return AuditEventsOf(organization_.organization.meta.id);
}

std::vector<AuditEvent> TenancyFixture::AuditEventsOf(const std::string& organization_id) {
  std::vector<AuditEvent> events;
  Status status = store_->Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(events, transaction.ListAuditEvents(organization_id, AllEvents()));
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return events;
}

}  // namespace rampart::testing
