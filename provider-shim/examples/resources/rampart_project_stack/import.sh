# By name path, or by id.
terraform import rampart_project_stack.recsys_production workspaces/alpha-workspace/projects/recommendation-engine/stacks/production
terraform import rampart_project_stack.recsys_production pst_0123456789abcdef
