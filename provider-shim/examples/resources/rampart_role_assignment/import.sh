# By id.
terraform import rampart_role_assignment.developers_read_production ra_0123456789abcdef
