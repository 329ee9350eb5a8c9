# By name path, or by id.
terraform import rampart_stack_component.s3 workspaces/alpha-workspace/components/s3-artifacts
terraform import rampart_stack_component.s3 cmp_0123456789abcdef
