#include "model/tenancy_json.h"

namespace rampart {
namespace {

// The patch of a kind whose writable fields are exactly ObjectMeta's.
Status ApplyNamedObjectPatch(const nlohmann::json& patch, PatchMode mode, ObjectMeta& meta) {
  static const std::set<std::string> kFields = MetaFields({});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  return ApplyMetaPatch(patch, /*with_name=*/true, meta);
}

}  // namespace

nlohmann::json MetaToJson(const ObjectMeta& meta) {
  return {
      {"id", meta.id},
      {"name", meta.name},
      {"display_name", meta.display_name},
      {"description", meta.description},
      {"labels", nlohmann::json(meta.labels)},
      {"created_at", FormatTimestamp(meta.created_at)},
      {"updated_at", FormatTimestamp(meta.updated_at)},
      {"created_by", meta.created_by},
      {"revision", meta.revision},
  };
}

nlohmann::json ToJson(const Organization& organization) {
  nlohmann::json json = MetaToJson(organization.meta);
  json["audit_retention_days"] = organization.audit_retention_days;
  return json;
}

nlohmann::json ToJson(const Workspace& workspace) {
  nlohmann::json json = MetaToJson(workspace.meta);
  json["organization_id"] = workspace.meta.organization_id;
  return json;
}

nlohmann::json ToJson(const Project& project) {
  nlohmann::json json = MetaToJson(project.meta);
  json["organization_id"] = project.meta.organization_id;
  json["workspace_id"] = project.workspace_id;
  return json;
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Organization& organization) {
  static const std::set<std::string> kFields = MetaFields({"audit_retention_days"});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  if (patch.contains("audit_retention_days")) {
    RAMPART_ASSIGN_OR_RETURN(int64_t days,
                             ReadCount(patch["audit_retention_days"], "audit_retention_days", kMaxAuditRetentionDays));
    if (days < 1) {
      return Status::InvalidArgument("audit_retention_days", "must be at least 1 day", "out_of_range");
    }
    organization.audit_retention_days = days;
  }
  return ApplyMetaPatch(patch, /*with_name=*/true, organization.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Workspace& workspace) {
  return ApplyNamedObjectPatch(patch, mode, workspace.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Project& project) {
  return ApplyNamedObjectPatch(patch, mode, project.meta);
}

}  // namespace rampart
