# By `teams/TEAM/members/MEMBER_ID`, or by `TEAM_ID/MEMBER_ID`.
terraform import rampart_team_member.eli teams/ml-ops/members/usr_0123456789abcdef
terraform import rampart_team_member.eli team_0123456789abcdef/usr_0123456789abcdef
