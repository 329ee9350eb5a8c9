resource "rampart_workspace" "alpha" {
  name         = "alpha-workspace"
  display_name = "Team Alpha"
  description  = "Recommendation models of team Alpha."
  labels = {
    cost_center = "cc-1234"
    environment = "production"
  }
}
