resource "rampart_role" "data_scientist" {
  name          = "data-scientist"
  description   = "Builds and runs pipelines; promotes models to staging."
  permissions   = ["pipeline:create", "pipeline:run", "model:read", "model:promote:staging"]
  inherits      = ["stack.read"]
  assignable_at = ["workspace", "project"]
}
