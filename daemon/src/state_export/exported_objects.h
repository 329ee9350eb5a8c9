// The objects of one organization (or one workspace) as Terraform resources: for each, the
// resource type and a readable, unique label, the id `terraform import` takes, and the
// values of the arguments the provider lets a configuration set, named as in the provider
// (SPEC section 11). What export-state writes and what --compare checks both come from here.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace rampart::state_export {

struct ExportedObject {
  std::string type;       // "rampart_workspace"
  std::string label;      // "alpha_workspace", unique per type
  std::string id;         // the daemon's id, which is also the Terraform resource's id
  std::string import_id;  // what an import {} block names
  std::string path;       // the object's name path, for people: "workspaces/alpha-workspace"
  // Every settable argument with the daemon's value, in the provider's order (empty ones
  // included, so a comparison sees a value that state holds and the daemon cleared).
  std::vector<std::pair<std::string, nlohmann::json>> arguments;
  // Arguments holding ids of other objects (a string, a list or a map of them): written as
  // references to the exported resource when it is part of the export.
  std::set<std::string> references;
  // Arguments that are JSON documents in the provider (written with jsonencode()).
  std::set<std::string> json_documents;
  // Arguments treated as sets: their order carries no meaning.
  std::set<std::string> sets;

  std::string address() const { return type + "." + label; }
};

struct StateExport {
  std::string organization_id;
  std::string organization_name;
  std::string workspace;  // the workspace exported alone, or empty for the whole organization
  std::vector<ExportedObject> objects;  // in dependency order: referenced before referencing
  // What was left out and why, one line each (service account keys, expired grants, ...).
  std::vector<std::string> omitted;
  // Custom role names by id: a configuration may name a custom role where the daemon keeps
  // its id.
  std::map<std::string, std::string> role_names;
};

// Null, an empty string, list or map: what the provider stores as "not set".
bool IsUnset(const nlohmann::json& value);

// Reads every object of `organization_name` from `transaction`, or only `workspace_name`
// (a name or id) and what lives in it when that is not empty. Role assignments that grant
// nothing any more (expired) or belong to API keys are omitted and listed in `omitted`.
// kNotFound names the organization or workspace that does not exist.
Result<StateExport> CollectObjects(StoreTransaction& transaction,
                                   const std::string& organization_name,
                                   const std::string& workspace_name, TimestampMs now);

}  // namespace rampart::state_export
