# Five components: an orchestrator per environment (Kubernetes for development, SageMaker
# with GPUs for production), a shared S3 artifact store and ECR registry, and an MLflow
# model registry on production.

resource "rampart_stack_component" "kubernetes" {
  workspace_id = rampart_workspace.alpha.id
  name         = "k8s-dev"
  type         = "orchestrator"
  flavor       = "kubernetes"
  configuration = jsonencode({
    context   = "dev-cluster"
    namespace = "alpha"
  })
}

resource "rampart_stack_component" "sagemaker" {
  workspace_id = rampart_workspace.alpha.id
  name         = "sagemaker-gpu"
  type         = "orchestrator"
  flavor       = "sagemaker"
  configuration = jsonencode({
    region        = "eu-west-1"
    instance_type = "ml.p3.2xlarge"
    role_arn      = "arn:aws:iam::123456789012:role/alpha-sagemaker"
  })
}

resource "rampart_stack_component" "artifacts" {
  workspace_id  = rampart_workspace.alpha.id
  name          = "s3-artifacts"
  type          = "artifact_store"
  flavor        = "s3"
  configuration = jsonencode({ path = "s3://alpha-artifacts/ml" })
}

resource "rampart_stack_component" "registry" {
  workspace_id  = rampart_workspace.alpha.id
  name          = "ecr"
  type          = "container_registry"
  flavor        = "ecr"
  configuration = jsonencode({ uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/alpha" })
}

resource "rampart_stack_component" "mlflow" {
  workspace_id  = rampart_workspace.alpha.id
  name          = "mlflow"
  type          = "model_registry"
  flavor        = "mlflow"
  configuration = jsonencode({ tracking_uri = "https://mlflow.alpha.example.com" })
}

resource "rampart_stack" "development" {
  workspace_id = rampart_workspace.alpha.id
  name         = "development"
  components = {
    orchestrator       = rampart_stack_component.kubernetes.id
    artifact_store     = rampart_stack_component.artifacts.id
    container_registry = rampart_stack_component.registry.id
  }
}

resource "rampart_stack" "production" {
  workspace_id = rampart_workspace.alpha.id
  name         = "production"
  components = {
    orchestrator       = rampart_stack_component.sagemaker.id
    artifact_store     = rampart_stack_component.artifacts.id
    container_registry = rampart_stack_component.registry.id
    model_registry     = rampart_stack_component.mlflow.id
  }
}

# The project runs on both stacks, with a quota on each.
resource "rampart_project_stack" "development" {
  project_id       = rampart_project.recommendation_engine.id
  stack_id         = rampart_stack.development.id
  quota            = { cpu = "16", memory = "64Gi", max_parallel_runs = 10 }
  execution_labels = { namespace = "recommendation-dev" }
}

resource "rampart_project_stack" "production" {
  project_id       = rampart_project.recommendation_engine.id
  stack_id         = rampart_stack.production.id
  quota            = { cpu = "64", memory = "256Gi", gpu = 8, max_parallel_runs = 4 }
  execution_labels = { namespace = "recommendation-prod" }
}
