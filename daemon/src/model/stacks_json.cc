#include "model/stacks_json.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "model/tenancy_json.h"
#include "model/validation.h"

namespace rampart {
namespace {

nlohmann::json InWorkspace(const ObjectMeta& meta, const std::string& workspace_id) {
  nlohmann::json json = MetaToJson(meta);
  json["organization_id"] = meta.organization_id;
  json["workspace_id"] = workspace_id;
  return json;
}

std::string KnownTypes() {
  std::string known;
  for (const std::string& type : StackComponentTypes()) known += (known.empty() ? "" : ", ") + type;
  return known;
}

Status CheckComponentType(const std::string& field, const std::string& type) {
  const auto& types = StackComponentTypes();
  if (std::find(types.begin(), types.end(), type) != types.end()) return Status::Ok();
  return Status::InvalidArgument(field, "unknown component type \"" + type.substr(0, 80) +
                                            "\" (known: " + KnownTypes() + ")",
                                 "unknown_component_type");
}

// Keys whose string values would be credentials. Configuration references secrets by name
// ("{{aws_credentials.secret_access_key}}"); Rampart never stores secret values.
bool LooksLikeSecretKey(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const char* kMarkers[] = {"password", "secret", "token", "private_key", "api_key",
                                   "access_key", "credential"};
  for (const char* marker : kMarkers) {
    if (key.find(marker) != std::string::npos) return true;
  }
  return false;
}

bool IsSecretReference(const std::string& value) {
  return value.size() > 4 && value.compare(0, 2, "{{") == 0 &&
         value.compare(value.size() - 2, 2, "}}") == 0;
}

// Under a secret-looking key, every string or number (however deeply nested) must be a
// reference; booleans and nulls carry no secret ("use_token": true).
Status CheckNoSecretValues(const nlohmann::json& value, const std::string& path,
                           bool under_secret_key) {
  if (value.is_object() || value.is_array()) {
    for (const auto& [key, entry] : value.items()) {
      std::string field = value.is_array() ? path + "[" + key + "]" : path + "." + key;
      bool secret = under_secret_key || (value.is_object() && LooksLikeSecretKey(key));
      RAMPART_RETURN_IF_ERROR(CheckNoSecretValues(entry, field, secret));
    }
    return Status::Ok();
  }
  bool holds_value = value.is_number() || (value.is_string() && !IsSecretReference(value.get<std::string>()));
  if (!under_secret_key || !holds_value) return Status::Ok();
  return Status::InvalidArgument(
      path,
      "looks like a secret value; keep secrets in your secret store and reference them by "
      "name, e.g. \"{{aws_credentials.secret_access_key}}\"",
      "secret_value");
}

Result<std::string> ReadConfiguration(const nlohmann::json& value) {
  if (value.is_null()) return std::string("{}");
  if (!value.is_object()) return WrongType("configuration", "a JSON object", value);
  RAMPART_RETURN_IF_ERROR(CheckNoSecretValues(value, "configuration", false));
  // nlohmann::json keeps object keys sorted: dump() is canonical, whatever the input order.
  std::string canonical = value.dump();
  if (canonical.size() > kMaxConfigurationBytes) {
    return Status::InvalidArgument(
        "configuration", "must be at most " + std::to_string(kMaxConfigurationBytes) + " bytes",
        "too_long");
  }
  return canonical;
}

Status CheckFlavor(const std::string& flavor) {
  static const std::regex kFlavor("[a-z][a-z0-9_-]{0,62}");
  if (std::regex_match(flavor, kFlavor)) return Status::Ok();
  return Status::InvalidArgument(
      "flavor", "must be 1-63 lowercase letters, digits, '-' or '_', starting with a letter",
      "flavor");
}

Result<std::optional<std::string>> ReadQuantity(const nlohmann::json& quota, const char* key,
                                                const std::regex& shape, const char* example) {
  if (!quota.contains(key) || quota[key].is_null()) return std::optional<std::string>();
  std::string field = std::string("quota.") + key;
  RAMPART_ASSIGN_OR_RETURN(std::string value, ReadString(quota[key], field));
  if (!std::regex_match(value, shape)) {
    return Status::InvalidArgument(field,
                                   std::string("must be a Kubernetes quantity such as ") + example,
                                   "quantity");
  }
  return std::optional<std::string>(value);
}

Result<std::optional<int64_t>> ReadOptionalCount(const nlohmann::json& quota, const char* key) {
  if (!quota.contains(key) || quota[key].is_null()) return std::optional<int64_t>();
  RAMPART_ASSIGN_OR_RETURN(int64_t value,
                           ReadCount(quota[key], std::string("quota.") + key, kMaxQuotaCount));
  return std::optional<int64_t>(value);
}

Result<StackQuota> ReadQuota(const nlohmann::json& value) {
  StackQuota quota;
  if (value.is_null()) return quota;
  static const std::set<std::string> kKeys = {"cpu", "memory", "gpu", "max_parallel_runs"};
  if (!value.is_object()) return WrongType("quota", "an object", value);
  for (const auto& [key, entry] : value.items()) {
    if (kKeys.count(key) == 0) {
      return Status::InvalidArgument("quota." + key,
                                     "unknown field (accepted: cpu, gpu, max_parallel_runs, memory)",
                                     "unknown_field");
    }
  }
  static const std::regex kCpu("[0-9]{1,6}(\\.[0-9]{1,3})?m?");
  static const std::regex kMemory("[0-9]{1,9}(\\.[0-9]{1,3})?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");
  RAMPART_ASSIGN_OR_RETURN(quota.cpu, ReadQuantity(value, "cpu", kCpu, "\"8\" or \"500m\""));
  RAMPART_ASSIGN_OR_RETURN(quota.memory, ReadQuantity(value, "memory", kMemory, "\"64Gi\""));
  RAMPART_ASSIGN_OR_RETURN(quota.gpu, ReadOptionalCount(value, "gpu"));
  RAMPART_ASSIGN_OR_RETURN(quota.max_parallel_runs, ReadOptionalCount(value, "max_parallel_runs"));
  return quota;
}

nlohmann::json QuotaToJson(const StackQuota& quota) {
  nlohmann::json json = nlohmann::json::object();
  if (quota.cpu) json["cpu"] = *quota.cpu;
  if (quota.memory) json["memory"] = *quota.memory;
  if (quota.gpu) json["gpu"] = *quota.gpu;
  if (quota.max_parallel_runs) json["max_parallel_runs"] = *quota.max_parallel_runs;
  return json;
}

}  // namespace

const std::vector<std::string>& StackComponentTypes() {
  static const std::vector<std::string> kTypes = {
      "orchestrator",   "artifact_store",     "container_registry", "model_registry",
      "step_operator",  "experiment_tracker", "model_deployer",     "feature_store",
      "data_validator", "alerter",            "annotator",          "image_builder"};
  return kTypes;
}

nlohmann::json ToJson(const StackComponent& component) {
  nlohmann::json json = InWorkspace(component.meta, component.workspace_id);
  json["type"] = component.type;
  json["flavor"] = component.flavor;
  json["configuration"] = nlohmann::json::parse(component.configuration);
  return json;
}

nlohmann::json ToJson(const Stack& stack) {
  nlohmann::json json = InWorkspace(stack.meta, stack.workspace_id);
  json["components"] = stack.components;
  return json;
}

nlohmann::json ToJson(const ProjectStack& binding) {
  nlohmann::json json = InWorkspace(binding.meta, binding.workspace_id);
  json.erase("name");
  json["project_id"] = binding.project_id;
  json["stack_id"] = binding.meta.name;
  json["quota"] = QuotaToJson(binding.quota);
  json["execution_labels"] = binding.execution_labels;
  return json;
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, StackComponent& component) {
  static const std::set<std::string> kFields = MetaFields({"type", "flavor", "configuration"});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name", "type", "flavor"}));
  if (patch.contains("type")) {
    RAMPART_ASSIGN_OR_RETURN(std::string type, ReadString(patch["type"], "type"));
    RAMPART_RETURN_IF_ERROR(CheckComponentType("type", type));
    RAMPART_RETURN_IF_ERROR(CheckUnchanged(mode, "type", component.type, type));
    component.type = std::move(type);
  }
  if (patch.contains("flavor")) {
    RAMPART_ASSIGN_OR_RETURN(component.flavor, ReadString(patch["flavor"], "flavor"));
    RAMPART_RETURN_IF_ERROR(CheckFlavor(component.flavor));
  }
  if (patch.contains("configuration")) {
    RAMPART_ASSIGN_OR_RETURN(component.configuration, ReadConfiguration(patch["configuration"]));
  } else if (mode == PatchMode::kCreate) {
    component.configuration = "{}";
  }
  return ApplyMetaPatch(patch, /*with_name=*/true, component.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Stack& stack) {
  static const std::set<std::string> kFields = MetaFields({"components"});
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"name"}));
  if (patch.contains("components")) {
    const nlohmann::json& components = patch["components"];
    stack.components.clear();
    if (!components.is_null() && !components.is_object()) {
      return WrongType("components", "an object of component type -> component id", components);
    }
    if (components.is_object()) {
      for (const auto& [type, reference] : components.items()) {
        std::string field = "components." + type.substr(0, 80);
        RAMPART_RETURN_IF_ERROR(CheckComponentType(field, type));
        RAMPART_ASSIGN_OR_RETURN(stack.components[type], ReadString(reference, field));
      }
    }
  }
  return ApplyMetaPatch(patch, /*with_name=*/true, stack.meta);
}

Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, ProjectStack& binding) {
  static const std::set<std::string> kFields =
      MetaFields({"stack_id", "quota", "execution_labels"}, false);
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(patch, kFields));
  RAMPART_RETURN_IF_ERROR(CheckRequired(patch, mode, {"stack_id"}));
  if (patch.contains("stack_id")) {
    RAMPART_ASSIGN_OR_RETURN(std::string stack, ReadString(patch["stack_id"], "stack_id"));
    if (stack.empty()) return Status::InvalidArgument("stack_id", "is required", "required");
    binding.meta.name = std::move(stack);
  }
  if (patch.contains("quota")) {
    RAMPART_ASSIGN_OR_RETURN(binding.quota, ReadQuota(patch["quota"]));
  }
  if (patch.contains("execution_labels")) {
    if (patch["execution_labels"].is_null()) {
      binding.execution_labels.clear();
    } else {
      RAMPART_ASSIGN_OR_RETURN(binding.execution_labels,
                               ReadLabels(patch["execution_labels"], "execution_labels"));
    }
  }
  return ApplyMetaPatch(patch, /*with_name=*/false, binding.meta);
}

}  // namespace rampart
