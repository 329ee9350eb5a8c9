import {
  to = rampart_service_account_key.ci
  id = "key_0123456789abcdef"
}
