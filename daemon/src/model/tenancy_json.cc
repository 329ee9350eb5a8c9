#include "model/tenancy_json.h"

namespace rampart {
namespace {

// organization_id is written by the callers that have one: the organization object itself
// does not repeat its id under that name.
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

}  // namespace

nlohmann::json ToJson(const Organization& organization) { return MetaToJson(organization.meta); }

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

nlohmann::json ToJson(const ServiceAccount& service_account) {
  nlohmann::json json = MetaToJson(service_account.meta);
  json["organization_id"] = service_account.meta.organization_id;
  return json;
}

}  // namespace rampart
