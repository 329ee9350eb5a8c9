import {
  to = rampart_project_stack.recsys_production
  id = "workspaces/alpha-workspace/projects/recommendation-engine/stacks/production"
}
