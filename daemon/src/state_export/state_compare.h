// `rampartd export-state --compare TFSTATE`: what the daemon holds that a Terraform state
// does not know about, what the state holds that no longer exists, and every argument whose
// value differs (changed outside Terraform, or by a configuration not yet applied).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/status.h"
#include "state_export/exported_objects.h"

namespace rampart::state_export {

struct StateDifference {
  enum class Kind { kNotInState, kNotInRampart, kArgumentDiffers };
  Kind kind;
  std::string address;   // the resource's address: in the export, or in the state
  std::string id;
  std::string path;      // the object's name path (empty for kNotInRampart)
  std::string argument;  // kArgumentDiffers only
  nlohmann::json state_value;
  nlohmann::json rampart_value;

  std::string Describe() const;  // one line for people
};

// Compares `exported` with a Terraform state file's JSON (format version 4, as
// `terraform.tfstate` or `terraform state pull` has it). Only rampart_* managed resources
// count; those outside the exported scope (another workspace) are not reported missing.
// kInvalidArgument when `state` is not a Terraform state.
Result<std::vector<StateDifference>> CompareWithState(const StateExport& exported,
                                                      const nlohmann::json& state);

}  // namespace rampart::state_export
