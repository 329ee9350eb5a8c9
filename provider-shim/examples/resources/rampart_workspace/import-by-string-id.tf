import {
  to = rampart_workspace.alpha
  id = "workspaces/alpha-workspace"
}
