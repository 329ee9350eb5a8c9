output "workspace_id" {
  description = "Id of alpha-workspace."
  value       = rampart_workspace.alpha.id
}

output "project_id" {
  description = "Id of recommendation-engine."
  value       = rampart_project.recommendation_engine.id
}

output "stack_ids" {
  description = "Ids of the development and production stacks."
  value       = local.stacks
}

output "team_ids" {
  description = "Ids of the three teams."
  value       = { for name, team in rampart_team.team : name => team.id }
}
