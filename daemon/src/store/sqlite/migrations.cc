#include "store/sqlite/migrations.h"

namespace rampart::sqlite {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "tenancy: organizations, api keys, workspaces, projects, audit events", R"sql(
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  secret_hash TEXT NOT NULL,
  description TEXT NOT NULL,
  system_admin INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  UNIQUE (workspace_id, name)
);
CREATE TABLE audit_events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  key_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  target_name TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  request_id TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX audit_events_by_organization_time ON audit_events (organization_id, time);
)sql"},
      {2, "idempotency keys for creates; audit events by target", R"sql(
CREATE TABLE idempotency_keys (
  organization_id TEXT NOT NULL,
  key TEXT NOT NULL,
  action TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  target_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (organization_id, key)
);
CREATE INDEX audit_events_by_organization_target ON audit_events (organization_id, target_id);
)sql"},
      {3, "service accounts", R"sql(
CREATE TABLE service_accounts (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  UNIQUE (organization_id, name)
);
)sql"},
      {4, "api keys belong to a principal and record their last use", R"sql(
ALTER TABLE api_keys ADD COLUMN principal_type TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN principal_id TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
CREATE INDEX api_keys_by_principal ON api_keys (organization_id, principal_type, principal_id);
)sql"},
      {5, "users, teams, stack components, stacks, project-stack bindings", R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  active INTEGER NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  members TEXT NOT NULL,
  idp_groups TEXT NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE stack_components (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  type TEXT NOT NULL,
  flavor TEXT NOT NULL,
  configuration TEXT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE stacks (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  components TEXT NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE project_stacks (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  quota TEXT NOT NULL,
  execution_labels TEXT NOT NULL,
  UNIQUE (project_id, name)
);
CREATE INDEX project_stacks_by_stack ON project_stacks (organization_id, name);
)sql"},
      {6, "custom roles and role assignments; first admin keys hold organization.admin", R"sql(
CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  permissions TEXT NOT NULL,
  inherits TEXT NOT NULL,
  assignable_at TEXT NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE role_assignments (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  role TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  scope_type TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  expires_at INTEGER,
  reason TEXT NOT NULL,
  UNIQUE (organization_id, name)
);
-- Keys made before authorization existed acted as their organization's administrator; they
-- keep doing so, now through an assignment that shows in the access matrix.
INSERT INTO role_assignments
  SELECT 'ra_' || lower(hex(randomblob(10))), organization_id,
         'organization.admin|' || id || '|' || organization_id, '', '', '{}',
         created_at, created_at, 'bootstrap', 1,
         'organization.admin', 'api_key', id, 'organization', organization_id, NULL,
         'first admin key of the organization'
  FROM api_keys WHERE principal_type = '' AND revoked_at IS NULL;
)sql"},
      {7, "role assignments remember when their expiry was audited", R"sql(
ALTER TABLE role_assignments ADD COLUMN expiry_recorded_at INTEGER;
)sql"},
      // The events written before this migration are chained when the store opens
      // (SqliteStore::Open), since SQLite has no SHA-256: audit_chain_backfill says which,
      // and goes once they are, so that an event whose hash is blanked later stays broken.
      {8, "audit events form a hash chain per organization", R"sql(
ALTER TABLE audit_events ADD COLUMN chain_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_events_by_organization_sequence ON audit_events (organization_id, sequence);
CREATE TABLE audit_chain_backfill (up_to_sequence INTEGER NOT NULL);
INSERT INTO audit_chain_backfill SELECT COALESCE(MAX(sequence), 0) FROM audit_events;
)sql"},
      // A purge deletes an organization's oldest events and keeps, as its checkpoint, the
      // position and hash of the last one deleted: where the remaining chain starts.
      {9, "audit retention per organization, with a checkpoint where purged chains resume", R"sql(
ALTER TABLE organizations ADD COLUMN audit_retention_days INTEGER NOT NULL DEFAULT 90;
CREATE TABLE audit_checkpoints (
  organization_id TEXT PRIMARY KEY,
  chain_index INTEGER NOT NULL,
  hash TEXT NOT NULL,
  time INTEGER NOT NULL,
  purged_events INTEGER NOT NULL
);
CREATE INDEX audit_events_by_organization_time_sequence ON audit_events (organization_id, time, sequence);
)sql"},
      // Audit queries by scope: a time range is first turned into the sequences written in it
      // within the scope (the *_time indexes, index-only), then walked in sequence order.
      {10, "audit events by project and by workspace", R"sql(
CREATE INDEX audit_events_by_organization_project ON audit_events (organization_id, project_id, sequence);
CREATE INDEX audit_events_by_organization_workspace ON audit_events (organization_id, workspace_id, sequence);
CREATE INDEX audit_events_by_organization_project_time ON audit_events (organization_id, project_id, time, sequence);
CREATE INDEX audit_events_by_organization_workspace_time
  ON audit_events (organization_id, workspace_id, time, sequence);
)sql"},
      // Model governance (SPEC section 4). Lists and lookups go by parent and name, as the
      // UNIQUE constraints index them; a project's policies share the organization's table.
      {11, "models, model versions, promotion policies and promotion requests", R"sql(
CREATE TABLE models (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  UNIQUE (project_id, name)
);
CREATE TABLE model_versions (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  model_id TEXT NOT NULL REFERENCES models(id),
  tags TEXT NOT NULL,
  run_url TEXT NOT NULL,
  stage TEXT NOT NULL,
  source TEXT NOT NULL,
  UNIQUE (model_id, name)
);
CREATE TABLE promotion_policies (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  rules TEXT NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE promotion_requests (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  model_id TEXT NOT NULL,
  model_version_id TEXT NOT NULL,
  target_stage TEXT NOT NULL,
  status TEXT NOT NULL,
  details TEXT NOT NULL,
  UNIQUE (project_id, name)
);
CREATE INDEX promotion_requests_by_version ON promotion_requests (model_version_id, status);
)sql"},
      {12, "change log: change numbers and the indexed objects each write changed", R"sql(
CREATE TABLE change_counter (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  newest INTEGER NOT NULL,
  pruned_through INTEGER NOT NULL
);
INSERT INTO change_counter VALUES (1, 0, 0);
CREATE TABLE change_log (
  change INTEGER NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  PRIMARY KEY (change, position)
);
)sql"},
  };
  return kMigrations;
}

}  // namespace rampart::sqlite
