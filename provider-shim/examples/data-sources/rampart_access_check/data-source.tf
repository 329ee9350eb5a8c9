data "rampart_access_check" "developer_runs_on_production" {
  principal  = "user:dana@example.com"
  permission = "stack:use"
  resource   = "workspaces/alpha-workspace/stacks/production"
}

# Fails the plan (as a warning in check blocks) when the matrix is not what it should be.
check "developers_stay_off_production" {
  assert {
    condition     = !data.rampart_access_check.developer_runs_on_production.allowed
    error_message = "Developers may run on the production stack."
  }
}
