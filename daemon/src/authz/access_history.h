// Access as it was at a past instant (access reviews, SPEC section 5): an organization's
// AccessIndex loaded as it is now, then rewound by undoing its audit events written after
// that instant, newest first. Every change to what authorization uses (workspaces,
// projects, stacks, principals, teams, roles, role assignments, cascades included) is an
// audit event with the object before and after, which is what makes this exact.
#pragma once

#include <memory>

#include "authz/access_index.h"
#include "store/store.h"

namespace rampart::authz {

// The index of `organization_id` as it was at `at`, read in one transaction. kInvalidArgument
// on field `field` when `at` is in the future (after `now`), before the organization existed,
// or at or before the last retention purge (the events needed to rewind are gone).
Result<std::unique_ptr<AccessIndex>> AccessIndexAt(Store& store, const std::string& organization_id,
                                                   TimestampMs at, TimestampMs now, const std::string& field);

}  // namespace rampart::authz
