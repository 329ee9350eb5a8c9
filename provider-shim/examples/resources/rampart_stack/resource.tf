resource "rampart_workspace" "alpha" {
  name = "alpha-workspace"
}

resource "rampart_stack_component" "sagemaker" {
  workspace_id = rampart_workspace.alpha.id
  name         = "sagemaker-gpu"
  type         = "orchestrator"
  flavor       = "sagemaker"
}

resource "rampart_stack_component" "s3" {
  workspace_id = rampart_workspace.alpha.id
  name         = "s3-artifacts"
  type         = "artifact_store"
  flavor       = "s3"
}

resource "rampart_stack" "production" {
  workspace_id = rampart_workspace.alpha.id
  name         = "production"
  components = {
    orchestrator   = rampart_stack_component.sagemaker.id
    artifact_store = rampart_stack_component.s3.id
  }
}
