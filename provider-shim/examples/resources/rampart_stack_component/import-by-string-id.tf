import {
  to = rampart_stack_component.s3
  id = "workspaces/alpha-workspace/components/s3-artifacts"
}
