# By name path, or by id.
terraform import rampart_service_account.ci service_accounts/ci-bot
terraform import rampart_service_account.ci sa_0123456789abcdef
