resource "rampart_service_account" "ci" {
  name        = "ci-bot"
  description = "Runs training pipelines from CI."
}
