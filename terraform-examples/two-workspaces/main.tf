# Two workspaces for one project (SPEC section 9, scenario 3): dev-staging, open to data
# scientists, and production, where only ML engineers and platform admins act. Three custom
# roles carry the design document's permission lists, and promotion policies govern how model
# versions reach staging (at once) and production (after two distinct approvals).
#
# The provider reads its endpoint and token from RAMPART_ENDPOINT and RAMPART_TOKEN, so
# this configuration runs unchanged against any rampartd.

terraform {
  required_providers {
    rampart = {
      source = "rampart/rampart"
    }
  }
}

provider "rampart" {}

locals {
  workspaces = {
    "dev-staging" = { description = "Experiments and staging models.", cluster = "dev-cluster" }
    production    = { description = "Models that serve customers.", cluster = "prod-cluster" }
  }
  people = {
    "sam@example.com" = "data-scientists"
    "sky@example.com" = "data-scientists"
    "max@example.com" = "ml-engineers"
    "mia@example.com" = "ml-engineers" # production needs two approvers besides the requester
    "pat@example.com" = "platform-admins"
  }
}

resource "rampart_workspace" "env" {
  for_each    = local.workspaces
  name        = each.key
  description = each.value.description
  labels      = { environment = each.key }
}

# The same project in both workspaces.
resource "rampart_project" "fraud_detection" {
  for_each     = local.workspaces
  workspace_id = rampart_workspace.env[each.key].id
  name         = "fraud-detection"
}

resource "rampart_stack_component" "orchestrator" {
  for_each      = local.workspaces
  workspace_id  = rampart_workspace.env[each.key].id
  name          = "kubernetes"
  type          = "orchestrator"
  flavor        = "kubernetes"
  configuration = jsonencode({ context = each.value.cluster })
}

resource "rampart_stack" "default" {
  for_each     = local.workspaces
  workspace_id = rampart_workspace.env[each.key].id
  name         = "default"
  components   = { orchestrator = rampart_stack_component.orchestrator[each.key].id }
}

resource "rampart_project_stack" "fraud_detection" {
  for_each   = local.workspaces
  project_id = rampart_project.fraud_detection[each.key].id
  stack_id   = rampart_stack.default[each.key].id
}

# Custom roles.
resource "rampart_role" "data_scientist" {
  name        = "data-scientist"
  description = "Builds and runs pipelines, and promotes models to staging."
  permissions = [
    "pipeline:create", "pipeline:read", "pipeline:update", "pipeline:run",
    "pipeline_run:read", "model:read", "model:create", "model_version:create", "model_version:read",
    "artifact:read", "artifact:create", "model:promote:staging", "stack:read", "stack:use",
  ]
  assignable_at = ["workspace", "project"]
}

resource "rampart_role" "ml_engineer" {
  name        = "ml-engineer"
  description = "Everything a data scientist does, plus promotion to production and stack upkeep."
  permissions = ["pipeline:*", "pipeline_run:*", "model:*", "model_version:*", "artifact:*", "stack:read", "stack:use", "stack:update"]
  inherits    = [rampart_role.data_scientist.id]
}

resource "rampart_role" "platform_admin" {
  name        = "platform-admin"
  description = "Runs the platform: stacks, components, access."
  permissions = ["*"]
}

resource "rampart_user" "person" {
  for_each = local.people
  email    = each.key
}

resource "rampart_team" "team" {
  for_each = toset(values(local.people))
  name     = each.key
  members  = [for email, team in local.people : rampart_user.person[email].id if team == each.key]
}

resource "rampart_role_assignment" "data_scientists" {
  role         = rampart_role.data_scientist.name
  team_id      = rampart_team.team["data-scientists"].id
  workspace_id = rampart_workspace.env["dev-staging"].id
}

resource "rampart_role_assignment" "ml_engineers" {
  for_each     = local.workspaces
  role         = rampart_role.ml_engineer.name
  team_id      = rampart_team.team["ml-engineers"].id
  workspace_id = rampart_workspace.env[each.key].id
}

resource "rampart_role_assignment" "platform_admins" {
  role    = rampart_role.platform_admin.id
  team_id = rampart_team.team["platform-admins"].id
}

# Promotion policies, set as workspace defaults rather than on the fraud-detection projects:
# the rules belong to the environment, so a project added to either workspace later is
# governed from its first day instead of being open to anyone holding model:promote:<stage>.
# A project can still set its own policy for a stage, which then replaces its workspace's.

# Staging: any of the three roles promotes at once.
resource "rampart_promotion_policy" "staging" {
  for_each     = local.workspaces
  workspace_id = rampart_workspace.env[each.key].id
  stage        = "staging"
  allowed_roles = [
    rampart_role.data_scientist.name, rampart_role.ml_engineer.name, rampart_role.platform_admin.name,
  ]
  description = "Staging is open to data scientists, ML engineers and platform admins."
}

# Production: ML engineers and platform admins request; two others of them approve.
resource "rampart_promotion_policy" "production" {
  for_each          = local.workspaces
  workspace_id      = rampart_workspace.env[each.key].id
  stage             = "production"
  allowed_roles     = [rampart_role.ml_engineer.name, rampart_role.platform_admin.name]
  approval_required = true
  min_approvers     = 2
  approver_roles    = [rampart_role.ml_engineer.name, rampart_role.platform_admin.name]
  four_eyes         = true
  description       = "Production needs two distinct approvers from ml-engineer or platform-admin, never the requester."
}

output "workspace_ids" {
  description = "The two workspaces."
  value       = { for name, workspace in rampart_workspace.env : name => workspace.id }
}
