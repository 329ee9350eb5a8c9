import {
  to = rampart_stack.production
  id = "workspaces/alpha-workspace/stacks/production"
}
