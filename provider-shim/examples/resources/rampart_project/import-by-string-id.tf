import {
  to = rampart_project.recsys
  id = "workspaces/alpha-workspace/projects/recommendation-engine"
}
