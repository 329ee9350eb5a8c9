#include "store/postgres/pg_schema.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/logging.h"
#include "store/postgres/pg_locks.h"

namespace rampart::postgres {
namespace {

// A named object table: the ObjectMeta columns (store/sql/table_traits.h), then the kind's
// own columns and constraints. Ids, names and organization ids compare byte by byte ("C"),
// as SQLite's BINARY collation does, so lists and their cursors order rows the same
// whichever store holds them and whatever locale the database was created with.
std::string ObjectTable(const std::string& name, const std::string& own_columns_and_constraints,
                        const std::string& organization_reference = " REFERENCES organizations(id)") {
  return "CREATE TABLE " + name + " (\n"
         "  id TEXT COLLATE \"C\" PRIMARY KEY,\n"
         "  organization_id TEXT COLLATE \"C\" NOT NULL" + organization_reference + ",\n"
         "  name TEXT COLLATE \"C\" NOT NULL,\n"
         "  display_name TEXT NOT NULL,\n"
         "  description TEXT NOT NULL,\n"
         "  labels TEXT NOT NULL,\n"
         "  created_at BIGINT NOT NULL,\n"
         "  updated_at BIGINT NOT NULL,\n"
         "  created_by TEXT NOT NULL,\n"
         "  revision BIGINT NOT NULL," +
         own_columns_and_constraints + "\n);\n";
}

std::string SchemaVersion12() {
  // An organization is its own organization: its organization_id references nothing.
  return ObjectTable("organizations", R"sql(
  audit_retention_days BIGINT NOT NULL DEFAULT 90,
  UNIQUE (name))sql", "") + R"sql(
CREATE TABLE api_keys (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  secret_hash TEXT NOT NULL,
  description TEXT NOT NULL,
  system_admin BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  principal_type TEXT NOT NULL DEFAULT '',
  principal_id TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  last_used_at BIGINT
);
CREATE INDEX api_keys_by_principal ON api_keys (organization_id, principal_type, principal_id);
)sql" + ObjectTable("workspaces", "\n  UNIQUE (organization_id, name)") +
         ObjectTable("projects", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  UNIQUE (workspace_id, name))sql") +
         R"sql(
CREATE TABLE audit_events (
  sequence BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  organization_id TEXT COLLATE "C" NOT NULL,
  time BIGINT NOT NULL,
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
  user_agent TEXT NOT NULL,
  chain_index BIGINT NOT NULL DEFAULT 0,
  prev_hash TEXT NOT NULL DEFAULT '',
  hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_organization_time ON audit_events (organization_id, time);
CREATE INDEX audit_events_by_organization_target ON audit_events (organization_id, target_id);
CREATE INDEX audit_events_by_organization_sequence ON audit_events (organization_id, sequence);
CREATE INDEX audit_events_by_organization_time_sequence ON audit_events (organization_id, time, sequence);
CREATE INDEX audit_events_by_organization_project ON audit_events (organization_id, project_id, sequence);
CREATE INDEX audit_events_by_organization_workspace ON audit_events (organization_id, workspace_id, sequence);
CREATE INDEX audit_events_by_organization_project_time ON audit_events (organization_id, project_id, time, sequence);
CREATE INDEX audit_events_by_organization_workspace_time
  ON audit_events (organization_id, workspace_id, time, sequence);
CREATE TABLE audit_checkpoints (
  organization_id TEXT COLLATE "C" PRIMARY KEY,
  chain_index BIGINT NOT NULL,
  hash TEXT NOT NULL,
  time BIGINT NOT NULL,
  purged_events BIGINT NOT NULL
);
CREATE TABLE idempotency_keys (
  organization_id TEXT NOT NULL,
  key TEXT NOT NULL,
  action TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  target_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, key)
);
)sql" + ObjectTable("service_accounts", "\n  UNIQUE (organization_id, name)") +
         ObjectTable("users", "\n  active BIGINT NOT NULL,\n  UNIQUE (organization_id, name)") +
         ObjectTable("teams", R"sql(
  members TEXT NOT NULL,
  idp_groups TEXT NOT NULL,
  UNIQUE (organization_id, name))sql") +
         ObjectTable("stack_components", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  type TEXT NOT NULL,
  flavor TEXT NOT NULL,
  configuration TEXT NOT NULL,
  UNIQUE (workspace_id, name))sql") +
         ObjectTable("stacks", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  components TEXT NOT NULL,
  UNIQUE (workspace_id, name))sql") +
         ObjectTable("project_stacks", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  quota TEXT NOT NULL,
  execution_labels TEXT NOT NULL,
  UNIQUE (project_id, name))sql") +
         "CREATE INDEX project_stacks_by_stack ON project_stacks (organization_id, name);\n" +
         ObjectTable("roles", R"sql(
  permissions TEXT NOT NULL,
  inherits TEXT NOT NULL,
  assignable_at TEXT NOT NULL,
  UNIQUE (organization_id, name))sql") +
         ObjectTable("role_assignments", R"sql(
  role TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  scope_type TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  expires_at BIGINT,
  reason TEXT NOT NULL,
  expiry_recorded_at BIGINT,
  UNIQUE (organization_id, name))sql") +
         ObjectTable("models", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  UNIQUE (project_id, name))sql") +
         ObjectTable("model_versions", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  model_id TEXT NOT NULL REFERENCES models(id),
  tags TEXT NOT NULL,
  run_url TEXT NOT NULL,
  stage TEXT NOT NULL,
  source TEXT NOT NULL,
  UNIQUE (model_id, name))sql") +
         ObjectTable("promotion_policies", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  rules TEXT NOT NULL,
  UNIQUE (organization_id, name))sql") +
         ObjectTable("promotion_requests", R"sql(
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  project_id TEXT NOT NULL REFERENCES projects(id),
  model_id TEXT NOT NULL,
  model_version_id TEXT NOT NULL,
  target_stage TEXT NOT NULL,
  status TEXT NOT NULL,
  details TEXT NOT NULL,
  UNIQUE (project_id, name))sql") +
         R"sql(
CREATE INDEX promotion_requests_by_version ON promotion_requests (model_version_id, status);
CREATE TABLE change_counter (
  singleton BIGINT PRIMARY KEY CHECK (singleton = 1),
  newest BIGINT NOT NULL,
  pruned_through BIGINT NOT NULL
);
INSERT INTO change_counter VALUES (1, 0, 0);
CREATE TABLE change_log (
  change BIGINT NOT NULL,
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  PRIMARY KEY (change, position)
);
)sql";
}

Status FailedState(const std::string& message) {
  return Status::Error(StatusCode::kFailedState, message, "", "failed_state");
}

}  // namespace

const std::vector<PgMigration>& PgMigrations() {
  static const std::vector<PgMigration> kMigrations = {
      {12, "the schema of SQLite version 12: tenancy, principals, roles, stacks, governance, audit, change log",
       SchemaVersion12()},
  };
  return kMigrations;
}

int RecordedSchemaVersion(PgConnection& connection) {
  int version = 0;
  connection.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version", {},
                   [&](const sql::Row& row) { version = static_cast<int>(row.Int(0)); });
  return version;
}

Status Migrate(PgConnection& connection, bool create_if_missing, const std::string& redacted_url) {
  static const auto logger = NamedLogger("store");
  const int newest = PgMigrations().back().version;
  connection.Exec("BEGIN");
  try {
    connection.Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
    bool has_schema = false;
    connection.Query("SELECT to_regclass('schema_version') IS NOT NULL", {},
                     [&](const sql::Row& row) { has_schema = row.Text(0) == "t"; });
    if (!has_schema && !create_if_missing) {
      connection.Rollback();  // the first failure is the one to report
      return FailedState("database " + redacted_url + " holds no Rampart schema: run `rampartd bootstrap "
                         "--database-url " + redacted_url + " --organization NAME` first");
    }
    connection.Exec("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)");
    const int current = RecordedSchemaVersion(connection);
    if (current > newest) {
      connection.Rollback();  // the first failure is the one to report
      return FailedState("database " + redacted_url + " has schema version " + std::to_string(current) +
                         ", newer than this rampartd supports (" + std::to_string(newest) +
                         "); run a newer rampartd or restore a backup");
    }
    SystemClock clock;
    for (const PgMigration& migration : PgMigrations()) {
      if (migration.version <= current) continue;
      connection.Exec(migration.sql);
      connection.Execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                         {int64_t{migration.version}, clock.Now()});
      logger->info("applied schema migration {} ({})", migration.version, migration.description);
    }
    connection.Exec("COMMIT");
    return Status::Ok();
  } catch (const PgError&) {
    connection.Rollback();  // the first failure is the one to report
    throw;
  }
}

}  // namespace rampart::postgres
