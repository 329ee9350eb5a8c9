import {
  to = rampart_team.developers
  id = "teams/developers"
}
