resource "rampart_workspace" "alpha" {
  name = "alpha-workspace"
}

resource "rampart_stack" "production" {
  workspace_id = rampart_workspace.alpha.id
  name         = "production"
}

resource "rampart_team" "developers" {
  name = "developers"
}

# Developers may read the production stack, until the end of the year.
resource "rampart_role_assignment" "developers_read_production" {
  role       = "stack.read"
  team_id    = rampart_team.developers.id
  stack_id   = rampart_stack.production.id
  expires_at = "2027-01-01T00:00:00Z"
  reason     = "OPS-1234: incident review"
}
