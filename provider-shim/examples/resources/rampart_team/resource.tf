resource "rampart_user" "dana" {
  email = "dana@example.com"
}

resource "rampart_service_account" "ci" {
  name = "ci-bot"
}

# members is authoritative: the team holds exactly these principals.
resource "rampart_team" "developers" {
  name        = "developers"
  description = "Build and run the recommendation pipelines."
  members     = [rampart_user.dana.id, rampart_service_account.ci.id]
  idp_groups  = ["okta-ml-developers"]
}
