#include "service/object_rules.h"

#include "common/random.h"

namespace rampart {

void StampNew(const RequestContext& context, const char* id_prefix, TimestampMs now,
              ObjectMeta& meta) {
  meta.id = NewId(id_prefix);
  meta.organization_id = context.organization_id;
  meta.created_at = meta.updated_at = now;
  meta.created_by = context.actor;
  meta.revision = 1;
}

void StampChanged(TimestampMs now, ObjectMeta& meta) {
  meta.updated_at = now;
  meta.revision += 1;
}

Status CheckRevision(std::optional<int64_t> if_match, const ObjectMeta& current) {
  if (!if_match || *if_match == current.revision) return Status::Ok();
  return Status::Error(StatusCode::kPreconditionFailed,
                       "If-Match: revision " + std::to_string(*if_match) + " is stale; " +
                           current.name + " is at revision " + std::to_string(current.revision),
                       "If-Match", "stale_revision");
}

Status NameTaken(const std::string& kind, const std::string& name, const std::string& parent,
                 const std::string& field) {
  return Status::Error(StatusCode::kAlreadyExists,
                       field + ": " + kind + " \"" + name + "\" already exists in " + parent,
                       field, "taken");
}

}  // namespace rampart
