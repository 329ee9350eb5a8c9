// JSON form of stack components, stacks and project-stack bindings, and their merge
// patches (json_fields.h). Maps (components, quota, execution_labels, labels) are replaced
// whole, never merged key by key, so a declarative client sends what it wants.
// Field names and shapes follow proto/rampart/v1/stacks.proto.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/json_fields.h"
#include "model/stacks.h"

namespace rampart {

inline constexpr size_t kMaxConfigurationBytes = 64 * 1024;
inline constexpr int64_t kMaxQuotaCount = 1000000;

nlohmann::json ToJson(const StackComponent& component);
nlohmann::json ToJson(const Stack& stack);
nlohmann::json ToJson(const ProjectStack& binding);

// Writable: the meta fields, type (required, fixed at creation), flavor (required) and
// configuration (a JSON object with no secret values; null or absent means {}).
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, StackComponent& component);
// Writable: the meta fields and components (type -> component reference as given: the
// service resolves references to ids in the stack's workspace).
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, Stack& stack);
// Writable: stack_id (required; a stack reference as given, stored in meta.name for the
// service to resolve to an id and to keep fixed after creation), quota, execution_labels, display_name,
// description, labels.
Status ApplyPatch(const nlohmann::json& patch, PatchMode mode, ProjectStack& binding);

}  // namespace rampart
