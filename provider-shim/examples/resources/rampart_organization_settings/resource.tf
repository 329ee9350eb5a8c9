resource "rampart_organization_settings" "this" {
  display_name = "Acme ML"
  description  = "Acme's machine-learning platform."
  labels = {
    cost_center = "cc-ml"
  }
  # Keep audit events for a year (default 90 days, at most 2557).
  audit_retention_days = 365
}
