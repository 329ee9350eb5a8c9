#include "service/model_import.h"

#include "model/validation.h"

namespace rampart {
namespace {

// The source version: an id, or the name path workspaces/W/projects/P/models/M/versions/V.
Result<ModelVersion> ResolveSource(StoreTransaction& t, const RequestContext& c, const std::string& ref) {
  if (IsIdOf(ref, kModelVersionIdPrefix)) return AsReference(t.ModelVersions().GetById(c.organization_id, ref), "source");
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t slash = ref.find('/', start);
    segments.push_back(ref.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (segments.size() != 8 || segments[0] != "workspaces" || segments[2] != "projects" || segments[4] != "models" ||
      segments[6] != "versions") {
    return Status::InvalidArgument(
        "source", "must be a model version id (mv_...) or workspaces/W/projects/P/models/M/versions/V", "reference");
  }
  return AsReference(ResolvePath<ModelVersion>(t, c, {segments[1], segments[3], segments[5], segments[7]}), "source");
}

}  // namespace

Result<ModelVersion> ModelImporter::Import(const RequestContext& context, const ObjectPath& project_path,
                                           const nlohmann::json& body) {
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(body, {"source", "model", "version"}));
  RAMPART_RETURN_IF_ERROR(CheckRequired(body, PatchMode::kCreate, {"source"}));
  RAMPART_ASSIGN_OR_RETURN(std::string source_ref, ReadString(body["source"], "source"));
  std::string model_name, version_name;
  if (body.contains("model") && !body["model"].is_null()) {
    RAMPART_ASSIGN_OR_RETURN(model_name, ReadString(body["model"], "model"));
    RAMPART_RETURN_IF_ERROR(ValidateName("model", model_name));
  }
  if (body.contains("version") && !body["version"].is_null()) {
    RAMPART_ASSIGN_OR_RETURN(version_name, ReadString(body["version"], "version"));
  }
  const TimestampMs now = clock_.Now();
  std::optional<ModelVersion> imported;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(Project target, ResolvePath<Project>(t, context, project_path));
    RAMPART_ASSIGN_OR_RETURN(ModelVersion source, ResolveSource(t, context, source_ref));
    RAMPART_RETURN_IF_ERROR(
        authorizer_.Require(context, "model_version:read", {authz::ScopeLevel::kProject, source.project_id}));
    RAMPART_ASSIGN_OR_RETURN(Model source_model, t.Models().GetById(context.organization_id, source.model_id));
    if (model_name.empty()) model_name = source_model.meta.name;
    Result<Model> model = ResolveIn<Model>(t, context, target, model_name);
    if (!model.ok()) {
      if (model.status().code() != StatusCode::kNotFound) return model.status();
      RAMPART_RETURN_IF_ERROR(
          authorizer_.Require(context, "model:create", {authz::ScopeLevel::kProject, target.meta.id}));
      Model made{};
      made.meta.name = model_name;
      made.meta.description = source_model.meta.description;
      StampNew(context, kModelIdPrefix, now, made.meta);
      Kind<Model>::Attach(target, made);
      RAMPART_RETURN_IF_ERROR(t.Models().Insert(made));
      RAMPART_RETURN_IF_ERROR(
          t.AppendAuditEvent(MakeAuditEvent(context, now, "model.create", Kind<Model>::Target(made), nullptr, ToJson(made))));
      model = made;
    }
    ModelVersion version{};
    RAMPART_RETURN_IF_ERROR(ApplyPatch(nlohmann::json{{"name", version_name.empty() ? source.meta.name : version_name},
                                                      {"description", source.meta.description},
                                                      {"labels", source.meta.labels},
                                                      {"tags", source.tags},
                                                      {"run_url", source.run_url}},
                                       PatchMode::kCreate, version));
    StampNew(context, kModelVersionIdPrefix, now, version.meta);
    Kind<ModelVersion>::Attach(*model, version);
    version.source = {source.workspace_id, source.project_id, source.model_id, source.meta.id, source.meta.name,
                      source.run_url};
    if (t.ModelVersions().GetByName(context.organization_id, model->meta.id, version.meta.name).ok()) {
      return NameTaken(Kind<ModelVersion>::kName, version.meta.name, Describe(*model), "version");
    }
    RAMPART_RETURN_IF_ERROR(t.ModelVersions().Insert(version));
    RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(MakeAuditEvent(context, now, "model_version.import",
                                                              Kind<ModelVersion>::Target(version), nullptr,
                                                              ToJson(version))));
    imported = std::move(version);
    return Status::Ok();
  }));
  return std::move(*imported);
}

}  // namespace rampart
