resource "rampart_organization_settings" "this" {
  display_name = "Acme ML"
  description  = "Acme's machine-learning platform."
  labels = {
    cost_center = "cc-ml"
  }
}
