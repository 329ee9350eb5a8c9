# The access matrix of SPEC section 9:
#
#   team          workspace  project      dev stack  prod stack
#   developers    member     contributor  write      read
#   ml-engineers  member     admin        write      read
#   ml-ops        admin      admin        admin      admin

locals {
  matrix = {
    developers     = { workspace = "member", project = "contributor", development = "write", production = "read" }
    "ml-engineers" = { workspace = "member", project = "admin", development = "write", production = "read" }
    "ml-ops"       = { workspace = "admin", project = "admin", development = "admin", production = "admin" }
  }
  stacks = {
    development = rampart_stack.development.id
    production  = rampart_stack.production.id
  }
}

resource "rampart_role_assignment" "workspace" {
  for_each     = local.matrix
  role         = "workspace.${each.value.workspace}"
  team_id      = rampart_team.team[each.key].id
  workspace_id = rampart_workspace.alpha.id
}

resource "rampart_role_assignment" "project" {
  for_each   = local.matrix
  role       = "project.${each.value.project}"
  team_id    = rampart_team.team[each.key].id
  project_id = rampart_project.recommendation_engine.id
}

resource "rampart_role_assignment" "stack" {
  for_each = merge([
    for team, roles in local.matrix : {
      for stack, id in local.stacks : "${team}/${stack}" => { team = team, stack_id = id, role = roles[stack] }
    }
  ]...)
  role     = "stack.${each.value.role}"
  team_id  = rampart_team.team[each.value.team].id
  stack_id = each.value.stack_id
}

# Asserted on every plan: a developer may use the development stack but not production.
data "rampart_access_check" "developer_uses_production" {
  principal  = "user:dana@example.com"
  permission = "stack:use"
  resource   = "workspaces/alpha-workspace/stacks/production"
  depends_on = [rampart_role_assignment.stack]
}

check "developers_cannot_run_on_production" {
  assert {
    condition     = !data.rampart_access_check.developer_uses_production.allowed
    error_message = "A developer may run on the production stack: the access matrix is wrong."
  }
}
