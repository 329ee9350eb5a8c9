# By id (an imported key has no `secret`).
terraform import rampart_service_account_key.ci key_0123456789abcdef
