# By name path, by name, or by id.
terraform import rampart_workspace.alpha workspaces/alpha-workspace
terraform import rampart_workspace.alpha alpha-workspace
terraform import rampart_workspace.alpha ws_0123456789abcdef
