data "rampart_team" "ml_ops" {
  name = "ml-ops"
}

output "ml_ops_members" {
  value = data.rampart_team.ml_ops.members
}
