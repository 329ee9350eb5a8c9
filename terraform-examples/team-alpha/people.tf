# The people of Team Alpha and their teams. `members` is authoritative: the team holds
# exactly these users.

locals {
  people = {
    "dana@example.com"  = { name = "Dana", team = "developers" }
    "eli@example.com"   = { name = "Eli", team = "developers" }
    "farah@example.com" = { name = "Farah", team = "ml-engineers" }
    "gus@example.com"   = { name = "Gus", team = "ml-ops" }
  }
  teams = ["developers", "ml-engineers", "ml-ops"]
}

resource "rampart_user" "person" {
  for_each     = local.people
  email        = each.key
  display_name = each.value.name
}

resource "rampart_team" "team" {
  for_each = toset(local.teams)
  name     = each.key
  members  = [for email, person in local.people : rampart_user.person[email].id if person.team == each.key]
}
