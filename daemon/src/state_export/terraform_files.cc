#include "state_export/terraform_files.h"

#include <algorithm>

#include "model/tenancy.h"
#include "state_export/hcl.h"

namespace rampart::state_export {
namespace {

// Values the provider assumes when an argument is left out: writing them would only add
// noise, and leaving them out keeps the plan after import empty.
bool IsProviderDefault(const std::string& name, const nlohmann::json& value) {
  return IsUnset(value) || (name == "active" && value == true) ||
         (name == "audit_retention_days" && value == kDefaultAuditRetentionDays);
}

using Addresses = std::map<std::string, std::string>;  // id -> "rampart_team.developers"

// One id as a reference to its exported resource, else as the literal id.
std::string Reference(const nlohmann::json& id, const Addresses& addresses) {
  if (id.is_string()) {
    auto found = addresses.find(id.get<std::string>());
    if (found != addresses.end()) return found->second + ".id";
  }
  return HclValue(id, 0);
}

std::string RenderReferences(const nlohmann::json& value, const Addresses& addresses, int indent) {
  const std::string inner(indent + 2, ' ');
  if (value.is_array()) {
    std::string out = "[\n";
    for (const auto& id : value) out += inner + Reference(id, addresses) + ",\n";
    return out + std::string(indent, ' ') + "]";
  }
  if (value.is_object()) {
    size_t width = 0;
    for (const auto& [key, id] : value.items()) width = std::max(width, key.size());
    std::string out = "{\n";
    for (const auto& [key, id] : value.items()) {
      out += inner + key + std::string(width - key.size(), ' ') + " = " + Reference(id, addresses) + "\n";
    }
    return out + std::string(indent, ' ') + "}";
  }
  return Reference(value, addresses);
}

std::string RenderResource(const ExportedObject& object, const Addresses& addresses) {
  std::vector<std::pair<std::string, std::string>> lines;  // argument, expression
  for (const auto& [name, value] : object.arguments) {
    if (IsProviderDefault(name, value)) continue;
    std::string expression;
    if (object.references.count(name)) {
      expression = RenderReferences(value, addresses, 2);
    } else if (object.json_documents.count(name)) {
      expression = "jsonencode(" + HclValue(value, 2) + ")";
    } else {
      expression = HclValue(value, 2);
    }
    lines.emplace_back(name, expression);
  }
  size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.first.size());
  const bool path_names_id = object.path.size() >= object.id.size() &&
                             object.path.compare(object.path.size() - object.id.size(), object.id.size(), object.id) == 0;
  std::string out = "# " + object.path + (path_names_id ? "" : " (" + object.id + ")") + "\n";
  out += "resource \"" + object.type + "\" \"" + object.label + "\" {\n";
  for (const auto& [name, expression] : lines) {
    out += "  " + name + std::string(width - name.size(), ' ') + " = " + expression + "\n";
  }
  return out + "}\n";
}

}  // namespace

std::map<std::string, std::string> RenderTerraformFiles(const StateExport& exported, TimestampMs now) {
  const std::string what = exported.workspace.empty()
                               ? "organization " + exported.organization_name
                               : "workspace " + exported.workspace + " of organization " + exported.organization_name;
  const std::string header = "# Written by `rampartd export-state` from " + what + " (" +
                             exported.organization_id + ") at " + FormatTimestamp(now) + ".\n";
  std::map<std::string, std::string> files;

  files["main.tf"] = header +
                     "# `terraform apply` imports every object below into an empty state and changes\n"
                     "# nothing in rampartd; from then on this configuration manages them.\n"
                     "\n"
                     "terraform {\n"
                     "  required_providers {\n"
                     "    rampart = {\n"
                     "      source = \"rampart/rampart\"\n"
                     "    }\n"
                     "  }\n"
                     "}\n"
                     "\n"
                     "variable \"endpoint\" {\n"
                     "  description = \"rampartd's URL; when null, the RAMPART_ENDPOINT environment variable.\"\n"
                     "  type        = string\n"
                     "  default     = null\n"
                     "}\n"
                     "\n"
                     "variable \"token\" {\n"
                     "  description = \"An API key of the organization; when null, the RAMPART_TOKEN environment variable.\"\n"
                     "  type        = string\n"
                     "  default     = null\n"
                     "  sensitive   = true\n"
                     "}\n"
                     "\n"
                     "provider \"rampart\" {\n"
                     "  endpoint = var.endpoint\n"
                     "  token    = var.token\n"
                     "}\n";

  Addresses addresses;
  for (const ExportedObject& object : exported.objects) addresses[object.id] = object.address();

  std::string imports = header;
  for (const ExportedObject& object : exported.objects) {
    imports += "\nimport {\n  to = " + object.address() + "\n  id = " + HclString(object.import_id) + "\n}\n";
  }
  files["imports.tf"] = imports;

  std::string resources = header;
  if (!exported.omitted.empty()) {
    resources += "#\n# Not exported:\n";
    for (const std::string& line : exported.omitted) resources += "#   " + line + "\n";
  }
  for (const ExportedObject& object : exported.objects) resources += "\n" + RenderResource(object, addresses);
  files["resources.tf"] = resources;
  return files;
}

}  // namespace rampart::state_export
