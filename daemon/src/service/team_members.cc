#include "service/team_members.h"

#include <algorithm>

namespace rampart {

Result<Team> TeamMembers::Add(const RequestContext& context, const std::string& team_ref,
                              const std::string& member_ref) {
  return teams_.Modify(context, {team_ref}, std::nullopt, "member_add",
                       [&](StoreTransaction& transaction, const Organization&, Team& team) -> Status {
                         RAMPART_ASSIGN_OR_RETURN(
                             std::string id,
                             ResolveTeamMember(transaction, context, member_ref, "member"));
                         auto at = std::lower_bound(team.members.begin(), team.members.end(), id);
                         if (at == team.members.end() || *at != id) team.members.insert(at, id);
                         return Status::Ok();
                       });
}

Result<Team> TeamMembers::Remove(const RequestContext& context, const std::string& team_ref,
                                 const std::string& member_ref) {
  return teams_.Modify(
      context, {team_ref}, std::nullopt, "member_remove",
      [&](StoreTransaction& transaction, const Organization&, Team& team) -> Status {
        Result<std::string> id = ResolveTeamMember(transaction, context, member_ref, "member");
        // A malformed reference is the caller's mistake; an unknown principal is no member.
        if (!id.ok() && id.status().code() == StatusCode::kInvalidArgument) return id.status();
        auto at = id.ok() ? std::find(team.members.begin(), team.members.end(), *id)
                          : team.members.end();
        if (at == team.members.end()) {
          return Status::NotFound(member_ref + " is not a member of team \"" + team.meta.name + "\"");
        }
        team.members.erase(at);
        return Status::Ok();
      });
}

}  // namespace rampart
