// Principals of an organization besides its API keys: users, service accounts and teams.
#pragma once

#include <string>
#include <vector>

#include "model/tenancy.h"

namespace rampart {

// A human member of the organization. Addressed by email (`users/EMAIL`): meta.name holds
// the email, lowercased, so it is unique within the organization like any other name.
struct User {
  ObjectMeta meta;
  bool active = true;  // an inactive user's keys no longer authenticate
};

// A machine principal of the organization (CI bots, pipelines); holds API keys.
struct ServiceAccount {
  ObjectMeta meta;
};

// A group of users and service accounts. `members` holds principal ids (usr_..., sa_...),
// sorted and without duplicates; `idp_groups` names identity-provider groups whose members
// count as members too.
struct Team {
  ObjectMeta meta;
  std::vector<std::string> members;
  std::vector<std::string> idp_groups;
};

}  // namespace rampart
