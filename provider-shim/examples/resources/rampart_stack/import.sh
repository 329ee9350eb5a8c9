# By name path, or by id.
terraform import rampart_stack.production workspaces/alpha-workspace/stacks/production
terraform import rampart_stack.production stk_0123456789abcdef
