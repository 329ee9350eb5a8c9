resource "rampart_workspace" "production" {
  name = "production"
}

resource "rampart_project" "fraud_detection" {
  workspace_id = rampart_workspace.production.id
  name         = "fraud-detection"
}

resource "rampart_role" "ml_engineer" {
  name        = "ml-engineer"
  permissions = ["model:*", "model_version:*"]
}

# The workspace's default for production: ML engineers request, two others approve, one
# technical and one business approval, never at weekends or during the nightly batch.
resource "rampart_promotion_policy" "production" {
  workspace_id      = rampart_workspace.production.id
  stage             = "production"
  allowed_roles     = [rampart_role.ml_engineer.name]
  approval_required = true
  min_approvers     = 2
  approver_roles    = [rampart_role.ml_engineer.name, "project.admin"]
  approval_types    = ["technical", "business"]
  four_eyes         = true
  blocked_windows = [
    { days = ["sat", "sun"], start = "00:00", end = "24:00", time_zone = "Europe/Berlin" },
    { start = "22:00", end = "06:00", time_zone = "Europe/Berlin" },
  ]
  required_tags          = ["validated", "fairness-reviewed"]
  min_description_length = 20
  description            = "Production promotions need two approvals."
}

# A project's own policy replaces its workspace's for that stage.
resource "rampart_promotion_policy" "fraud_detection_staging" {
  project_id    = rampart_project.fraud_detection.id
  stage         = "staging"
  required_tags = ["validated"]
}
