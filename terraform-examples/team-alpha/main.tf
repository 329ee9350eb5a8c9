# Team Alpha (SPEC section 9, scenario 1): one workspace, three teams, one project, a
# development and a production stack built from five components, and who may do what.
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

resource "rampart_workspace" "alpha" {
  name         = "alpha-workspace"
  display_name = "Team Alpha"
  description  = "Team Alpha's recommendation work."
  labels = {
    cost_center = "cc-alpha"
    team        = "alpha"
  }
}

resource "rampart_project" "recommendation_engine" {
  workspace_id = rampart_workspace.alpha.id
  name         = "recommendation-engine"
  description  = "Recommendations for the storefront."
}
