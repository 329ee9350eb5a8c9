data "rampart_workspace" "alpha" {
  name = "alpha-workspace"
}
