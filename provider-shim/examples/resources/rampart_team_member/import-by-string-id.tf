import {
  to = rampart_team_member.eli
  id = "teams/ml-ops/members/usr_0123456789abcdef"
}
