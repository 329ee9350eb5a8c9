resource "rampart_workspace" "alpha" {
  name = "alpha-workspace"
}

resource "rampart_stack_component" "s3" {
  workspace_id = rampart_workspace.alpha.id
  name         = "s3-artifacts"
  type         = "artifact_store"
  flavor       = "s3"
  configuration = jsonencode({
    path = "s3://alpha-artifacts/ml"
    # Secrets are referenced by name, never stored.
    credentials = "{{aws_credentials.secret_access_key}}"
  })
}
