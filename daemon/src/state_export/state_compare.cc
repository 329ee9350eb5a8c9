#include "state_export/state_compare.h"

#include <algorithm>
#include <map>

namespace rampart::state_export {
namespace {

// The form in which two values of `argument` are equal exactly when they mean the same:
// empty strings, lists and maps are "not set" (null), unset members of an object are
// dropped, sets are sorted, JSON documents are parsed, instants are compared as instants
// and a custom role named by id or by name is its name.
nlohmann::json Normalize(const ExportedObject& object, const std::string& argument, nlohmann::json value,
                         const StateExport& exported) {
  if (object.json_documents.count(argument) && value.is_string()) {
    value = nlohmann::json::parse(value.get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return nlohmann::json();  // unreadable: differs from any document
  }
  if (value.is_object()) {
    nlohmann::json kept = nlohmann::json::object();
    for (auto& [key, member] : value.items()) {
      if (!member.is_null()) kept[key] = member;
    }
    value = kept;
  }
  if (value.is_array() && object.sets.count(argument)) std::sort(value.begin(), value.end());
  if (IsUnset(value)) return nlohmann::json();
  if (argument == "expires_at" && value.is_string()) {
    TimestampMs instant = 0;
    if (ParseTimestamp(value.get<std::string>(), instant)) return instant;
  }
  if (argument == "role" && value.is_string()) {
    auto named = exported.role_names.find(value.get<std::string>());
    if (named != exported.role_names.end()) return named->second;
  }
  return value;
}

struct StateInstance {
  std::string address;
  const nlohmann::json* attributes;
};

// A string member of `object`, or "" when `object` is not an object or the member is not a
// string: a state file is read, not trusted.
std::string Text(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

std::string Shown(const nlohmann::json& value) { return value.is_null() ? "(not set)" : value.dump(); }

}  // namespace

std::string StateDifference::Describe() const {
  switch (kind) {
    case Kind::kNotInState:
      return "not in the state: " + address + " = " + path + " (" + id + ")";
    case Kind::kNotInRampart:
      return "not in rampartd: " + address + " (" + id + ") is in the state but rampartd has no such object";
    case Kind::kArgumentDiffers:
      return "differs: " + address + " = " + path + " (" + id + "): " + argument + " is " +
             Shown(rampart_value) + " in rampartd, " + Shown(state_value) + " in the state";
  }
  return "";
}

Result<std::vector<StateDifference>> CompareWithState(const StateExport& exported, const nlohmann::json& state) {
  if (!state.is_object() || !state.contains("resources") || !state["resources"].is_array()) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "not a Terraform state: no \"resources\" list (use terraform.tfstate or "
                         "the output of `terraform state pull`)");
  }
  // Each managed rampart_* instance by its type and id.
  std::map<std::pair<std::string, std::string>, StateInstance> in_state;
  for (const auto& resource : state["resources"]) {
    const std::string type = Text(resource, "type");
    if (Text(resource, "mode") != "managed" || type.rfind("rampart_", 0) != 0) continue;
    std::string address = Text(resource, "module");
    address += (address.empty() ? "" : ".") + type + "." + Text(resource, "name");
    if (!resource.contains("instances") || !resource["instances"].is_array()) continue;
    for (const auto& instance : resource["instances"]) {  // by reference: in_state points into `state`
      if (!instance.is_object() || !instance.contains("attributes")) continue;
      const nlohmann::json& attributes = instance["attributes"];
      if (Text(attributes, "id").empty()) continue;
      std::string instance_address = address;
      if (instance.contains("index_key")) {
        const auto& key = instance["index_key"];
        instance_address += "[" + key.dump() + "]";  // ["developers"] or [0], as Terraform prints it
      }
      in_state[{type, attributes["id"].get<std::string>()}] = {instance_address, &attributes};
    }
  }

  std::vector<StateDifference> differences;
  std::set<std::pair<std::string, std::string>> seen;
  for (const ExportedObject& object : exported.objects) {
    auto found = in_state.find({object.type, object.id});
    if (found == in_state.end()) {
      differences.push_back({StateDifference::Kind::kNotInState, object.address(), object.id, object.path});
      continue;
    }
    seen.insert(found->first);
    const nlohmann::json& attributes = *found->second.attributes;
    for (const auto& [argument, value] : object.arguments) {
      nlohmann::json state_value = attributes.value(argument, nlohmann::json());
      nlohmann::json rampart_value = value;
      if (Normalize(object, argument, state_value, exported) != Normalize(object, argument, rampart_value, exported)) {
        differences.push_back({StateDifference::Kind::kArgumentDiffers, found->second.address, object.id,
                               object.path, argument, state_value, rampart_value});
      }
    }
  }
  // With one workspace exported, objects elsewhere in the organization are not known here,
  // so only a whole-organization comparison reports what the state has and rampartd lacks.
  if (exported.workspace.empty()) {
    for (const auto& [key, instance] : in_state) {
      if (seen.count(key) == 0) {
        differences.push_back({StateDifference::Kind::kNotInRampart, instance.address, key.second, ""});
      }
    }
  }
  return differences;
}

}  // namespace rampart::state_export
