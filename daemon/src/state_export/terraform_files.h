// The Terraform configuration `rampartd export-state` writes: a terraform block requiring
// rampart/rampart, the provider with `endpoint` and `token` variables (null by default, so
// RAMPART_ENDPOINT and RAMPART_TOKEN work as with any configuration), one import {} block
// and one resource per object. Applied to an empty state it imports everything and changes
// nothing; the plan after that is empty.
#pragma once

#include <map>
#include <string>

#include "state_export/exported_objects.h"

namespace rampart::state_export {

// File name -> content: main.tf, imports.tf and resources.tf.
std::map<std::string, std::string> RenderTerraformFiles(const StateExport& exported, TimestampMs now);

}  // namespace rampart::state_export
