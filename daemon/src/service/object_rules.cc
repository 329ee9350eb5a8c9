#include "service/object_rules.h"

#include "common/random.h"

namespace rampart {

ObjectMeta NewMeta(const RequestContext& context, const char* id_prefix, const ObjectSpec& spec,
                   TimestampMs now) {
  ObjectMeta meta;
  meta.id = NewId(id_prefix);
  meta.organization_id = context.organization_id;
  meta.name = spec.name;
  meta.display_name = spec.display_name;
  meta.description = spec.description;
  meta.labels = spec.labels;
  meta.created_at = meta.updated_at = now;
  meta.created_by = context.actor;
  meta.revision = 1;
  return meta;
}

Status CheckRevision(std::optional<int64_t> if_match, const ObjectMeta& current) {
  if (!if_match || *if_match == current.revision) return Status::Ok();
  return Status::Error(StatusCode::kPreconditionFailed,
                       "If-Match: revision " + std::to_string(*if_match) + " is stale; " +
                           current.name + " is at revision " + std::to_string(current.revision),
                       "If-Match", "stale_revision");
}

Status NameTaken(const std::string& kind, const std::string& name, const std::string& parent) {
  return Status::Error(StatusCode::kAlreadyExists,
                       "name: " + kind + " \"" + name + "\" already exists in " + parent, "name",
                       "taken");
}

bool ApplyChange(const ObjectPatch& patch, TimestampMs now, ObjectMeta& meta) {
  ObjectMeta changed = meta;
  ApplyPatch(patch, changed);
  if (changed.name == meta.name && changed.display_name == meta.display_name &&
      changed.description == meta.description && changed.labels == meta.labels) {
    return false;
  }
  meta = std::move(changed);
  meta.updated_at = now;
  meta.revision += 1;
  return true;
}

}  // namespace rampart
