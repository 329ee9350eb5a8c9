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

// Metadata for a new object created by `context` at `now`: a fresh id, revision 1.
ObjectMeta NewMeta(const RequestContext& context, const char* id_prefix, const ObjectSpec& spec,
                   TimestampMs now);

// kPreconditionFailed (field If-Match) when `if_match` is given and is not current.
Status CheckRevision(std::optional<int64_t> if_match, const ObjectMeta& current);

// kAlreadyExists (field name): "<kind> "<name>" already exists in <parent>".
Status NameTaken(const std::string& kind, const std::string& name, const std::string& parent);

// Applies `patch` to `meta` as a new revision; the caller checks name uniqueness. Returns
// false, leaving `meta` as it was, when the patch changes nothing: no new revision, no audit
// event, so ETags only move on real changes.
bool ApplyChange(const ObjectPatch& patch, TimestampMs now, ObjectMeta& meta);

}  // namespace rampart
