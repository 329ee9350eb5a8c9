data "rampart_project" "recsys" {
  workspace_id = "alpha-workspace" # an id or a name
  name         = "recommendation-engine"
}
