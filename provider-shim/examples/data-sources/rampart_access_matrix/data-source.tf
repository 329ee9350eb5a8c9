data "rampart_access_matrix" "alpha" {
  scope = "workspaces/alpha-workspace"
}

# Who holds what in alpha-workspace, and through which team.
output "alpha_access" {
  value = [for row in data.rampart_access_matrix.alpha.rows : "${row.principal_name} ${row.role_name} ${row.scope_type} ${row.via}"]
}
