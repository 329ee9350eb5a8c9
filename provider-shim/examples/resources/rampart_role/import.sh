# By name path, or by id.
terraform import rampart_role.data_scientist roles/data-scientist
terraform import rampart_role.data_scientist role_0123456789abcdef
