terraform {
  required_providers {
    rampart = {
      source = "rampart/rampart"
    }
  }
}

# Reads RAMPART_ENDPOINT and RAMPART_TOKEN when endpoint and token are left out.
provider "rampart" {
  endpoint = "https://rampart.example.com"
  token    = var.rampart_token
}

variable "rampart_token" {
  type      = string
  sensitive = true
}
