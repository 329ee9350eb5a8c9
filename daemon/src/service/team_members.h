// TeamMembers: one member at a time, for clients that manage memberships additively (the
// rampart_team_member resource) rather than a team's whole `members` list. Each change is
// an audited new revision of the team. Thread-safe; borrows the team service.
#pragma once

#include <string>

#include "service/object_service.h"

namespace rampart {

class TeamMembers {
 public:
  explicit TeamMembers(ObjectService<Team>& teams) : teams_(teams) {}

  // Adds the principal `member_ref` names (see ResolveTeamMember); idempotent.
  Result<Team> Add(const RequestContext& context, const std::string& team_ref,
                   const std::string& member_ref);
  // kNotFound when the principal is not a member.
  Result<Team> Remove(const RequestContext& context, const std::string& team_ref,
                      const std::string& member_ref);

 private:
  ObjectService<Team>& teams_;
};

}  // namespace rampart
