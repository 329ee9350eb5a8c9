# By name path, or by id.
terraform import rampart_user.dana users/dana@example.com
terraform import rampart_user.dana usr_0123456789abcdef
