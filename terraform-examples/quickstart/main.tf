# Quickstart: one workspace with one project in it.
#
# The provider reads its endpoint and token from RAMPART_ENDPOINT and RAMPART_TOKEN, so
# this configuration runs unchanged against any rampartd.

terraform {
  required_providers {
    rampart = {
      source = "rampart/rampart"
    }
  }
}

provider "rampart" {}

resource "rampart_workspace" "quickstart" {
  name         = "quickstart"
  display_name = "Quickstart"
  description  = "Created by the Rampart quickstart example."
  labels = {
    cost_center = "cc-1234"
    environment = "dev"
  }
}

resource "rampart_project" "quickstart" {
  workspace_id = rampart_workspace.quickstart.id
  name         = "first-project"
  description  = "The quickstart's first project."
  labels = {
    team = "platform"
  }
}

output "workspace_id" {
  description = "Id of the quickstart workspace."
  value       = rampart_workspace.quickstart.id
}

output "project_id" {
  description = "Id of the quickstart project."
  value       = rampart_project.quickstart.id
}
