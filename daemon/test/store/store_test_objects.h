// Minimal valid rows for the store suites (SQLite-only, contract and PostgreSQL-only), written
// once: the suites share unity translation units, so file-local copies would collide.
#pragma once

#include <string>

#include "audit/audit_event.h"
#include "model/tenancy.h"

namespace rampart::testing {

inline Organization MakeOrganization(const std::string& id, const std::string& name) {
  Organization organization;
  organization.meta.id = id;
  organization.meta.organization_id = id;
  organization.meta.name = name;
  organization.meta.revision = 1;
  return organization;
}

inline Workspace MakeWorkspace(const std::string& organization_id, const std::string& id,
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

inline AuditEvent MakeAuditEvent(const std::string& organization_id, const std::string& id,
                                 TimestampMs time) {
  AuditEvent event;
  event.id = id;
  event.organization_id = organization_id;
  event.time = time;
  event.action = "workspace.create";
  event.outcome = "success";
  return event;
}

}  // namespace rampart::testing
