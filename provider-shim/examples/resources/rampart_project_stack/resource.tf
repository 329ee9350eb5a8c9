resource "rampart_workspace" "alpha" {
  name = "alpha-workspace"
}

resource "rampart_project" "recsys" {
  workspace_id = rampart_workspace.alpha.id
  name         = "recommendation-engine"
}

resource "rampart_stack" "production" {
  workspace_id = rampart_workspace.alpha.id
  name         = "production"
}

resource "rampart_project_stack" "recsys_production" {
  project_id = rampart_project.recsys.id
  stack_id   = rampart_stack.production.id
  quota = {
    cpu               = "64"
    memory            = "256Gi"
    gpu               = 8
    max_parallel_runs = 4
  }
  execution_labels = {
    cluster   = "prod-gpu"
    namespace = "recommendation"
  }
}
