// Rules every named object follows, whatever its kind: new metadata, optimistic concurrency,
// name conflicts and patch application. Shared by the use-case services.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "model/tenancy.h"
#include "service/request_context.h"

namespace rampart {

// Stamps `meta` (whose user-settable fields are already set) as new, created by `context`
// at `now`: a fresh id, the caller's organization, revision 1.
void StampNew(const RequestContext& context, const char* id_prefix, TimestampMs now,
              ObjectMeta& meta);

// Stamps `meta` as the next revision, changed at `now`.
void StampChanged(TimestampMs now, ObjectMeta& meta);

// kPreconditionFailed (field If-Match) when `if_match` is given and is not current.
Status CheckRevision(std::optional<int64_t> if_match, const ObjectMeta& current);

// kAlreadyExists naming `field`: "<field>: <kind> "<name>" already exists in <parent>".
Status NameTaken(const std::string& kind, const std::string& name, const std::string& parent,
                 const std::string& field = "name");

}  // namespace rampart
