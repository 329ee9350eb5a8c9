resource "rampart_service_account" "ci" {
  name = "ci-bot"
}

resource "rampart_service_account_key" "ci" {
  service_account_id = rampart_service_account.ci.id
  description        = "GitHub Actions"
  expires_at         = "2027-01-01T00:00:00Z"
}

# Hand the secret to whatever needs it, e.g. a CI secret store; it is sensitive.
output "ci_token" {
  value     = rampart_service_account_key.ci.secret
  sensitive = true
}
