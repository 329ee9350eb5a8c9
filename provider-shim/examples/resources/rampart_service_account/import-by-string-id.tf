import {
  to = rampart_service_account.ci
  id = "service_accounts/ci-bot"
}
