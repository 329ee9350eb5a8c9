data "rampart_stack" "production" {
  workspace_id = "alpha-workspace" # an id or a name
  name         = "production"
}
