resource "rampart_workspace" "alpha" {
  name = "alpha-workspace"
}

resource "rampart_project" "recsys" {
  workspace_id = rampart_workspace.alpha.id
  name         = "recommendation-engine"
  description  = "Ranking models for the storefront."
  labels = {
    team = "ml-engineers"
  }
}
