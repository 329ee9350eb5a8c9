# Three isolated teams (SPEC section 9, scenario 2): alpha, beta and gamma share one
# workspace, each with its own project, a development and a production stack, and a quota
# per project and stack. A member of one team sees nothing of another team's project or
# stacks: workspace.member reads only the workspace object itself.
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
  teams = {
    alpha = { lead = "ana@example.com", members = ["ana@example.com", "abe@example.com"], gpu = 4 }
    beta  = { lead = "ben@example.com", members = ["ben@example.com", "bea@example.com"], gpu = 2 }
    gamma = { lead = "gia@example.com", members = ["gia@example.com"], gpu = 0 }
  }
  environments = ["development", "production"]
  # One entry per team and environment: "alpha/development", ...
  team_stacks = {
    for pair in setproduct(keys(local.teams), local.environments) : "${pair[0]}/${pair[1]}" => {
      team        = pair[0]
      environment = pair[1]
    }
  }
}

resource "rampart_workspace" "shared" {
  name        = "ml-platform"
  description = "Shared by teams alpha, beta and gamma, which cannot see each other's work."
}

resource "rampart_user" "member" {
  for_each = toset(flatten([for team in local.teams : team.members]))
  email    = each.key
}

resource "rampart_team" "team" {
  for_each = local.teams
  name     = each.key
  members  = [for email in each.value.members : rampart_user.member[email].id]
}

resource "rampart_project" "project" {
  for_each     = local.teams
  workspace_id = rampart_workspace.shared.id
  name         = "${each.key}-models"
  labels       = { team = each.key }
}

resource "rampart_stack_component" "orchestrator" {
  for_each      = local.team_stacks
  workspace_id  = rampart_workspace.shared.id
  name          = "${each.value.team}-${each.value.environment}-k8s"
  type          = "orchestrator"
  flavor        = "kubernetes"
  configuration = jsonencode({ namespace = "${each.value.team}-${each.value.environment}" })
}

resource "rampart_stack" "stack" {
  for_each     = local.team_stacks
  workspace_id = rampart_workspace.shared.id
  name         = "${each.value.team}-${each.value.environment}"
  components   = { orchestrator = rampart_stack_component.orchestrator[each.key].id }
  labels       = { team = each.value.team, environment = each.value.environment }
}

# Each project runs on its team's two stacks; production gets the team's GPUs.
resource "rampart_project_stack" "binding" {
  for_each   = local.team_stacks
  project_id = rampart_project.project[each.value.team].id
  stack_id   = rampart_stack.stack[each.key].id
  quota = {
    cpu               = each.value.environment == "production" ? "32" : "8"
    memory            = each.value.environment == "production" ? "128Gi" : "32Gi"
    gpu               = each.value.environment == "production" ? local.teams[each.value.team].gpu : 0
    max_parallel_runs = 5
  }
}

# Access: the workspace object, the team's own project, write on its development stack
# and read on its production stack; nothing on the other teams' stacks.
resource "rampart_role_assignment" "workspace" {
  for_each     = local.teams
  role         = "workspace.member"
  team_id      = rampart_team.team[each.key].id
  workspace_id = rampart_workspace.shared.id
}

resource "rampart_role_assignment" "project" {
  for_each   = local.teams
  role       = "project.contributor"
  team_id    = rampart_team.team[each.key].id
  project_id = rampart_project.project[each.key].id
}

resource "rampart_role_assignment" "lead" {
  for_each   = local.teams
  role       = "project.admin"
  user_id    = rampart_user.member[each.value.lead].id
  project_id = rampart_project.project[each.key].id
}

resource "rampart_role_assignment" "stack" {
  for_each = local.team_stacks
  role     = each.value.environment == "production" ? "stack.read" : "stack.write"
  team_id  = rampart_team.team[each.value.team].id
  stack_id = rampart_stack.stack[each.key].id
}

output "project_ids" {
  description = "Each team's project."
  value       = { for team, project in rampart_project.project : team => project.id }
}
