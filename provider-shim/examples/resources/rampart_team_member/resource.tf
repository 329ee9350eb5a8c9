resource "rampart_user" "eli" {
  email = "eli@example.com"
}

# A team managed elsewhere (its rampart_team leaves members out).
data "rampart_team" "ml_ops" {
  name = "ml-ops"
}

resource "rampart_team_member" "eli" {
  team_id = data.rampart_team.ml_ops.id
  member  = rampart_user.eli.id
}
