# By name path, or by id.
terraform import rampart_team.developers teams/developers
terraform import rampart_team.developers team_0123456789abcdef
