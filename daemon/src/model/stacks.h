// Stacks: the infrastructure a workspace runs on. A stack maps component types to stack
// components of its workspace; project-stack bindings say which projects may run on a
// stack, with what quota.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/tenancy.h"

namespace rampart {

// The component types a stack can hold (SPEC section 2), in the order messages list them.
const std::vector<std::string>& StackComponentTypes();

struct StackComponent {
  ObjectMeta meta;
  std::string workspace_id;
  std::string type;           // one of StackComponentTypes(); fixed at creation
  std::string flavor;         // kubernetes, sagemaker, s3, mlflow, ...
  std::string configuration;  // a JSON object, stored canonically (sorted keys, no spaces)
};

struct Stack {
  ObjectMeta meta;
  std::string workspace_id;
  std::map<std::string, std::string> components;  // component type -> component id
};

// A project's share of a stack. Every limit is optional: absent means "no limit here".
struct StackQuota {
  std::optional<std::string> cpu;     // Kubernetes quantity: "8", "500m"
  std::optional<std::string> memory;  // Kubernetes quantity: "64Gi"
  std::optional<int64_t> gpu;
  std::optional<int64_t> max_parallel_runs;

  bool operator==(const StackQuota&) const = default;
};

// Which stack a project may run on. meta.name holds the stack's id (a project binds a
// stack at most once), so the binding is addressed by the stack's name or id under its
// project: `workspaces/W/projects/P/stacks/S`.
struct ProjectStack {
  ObjectMeta meta;
  std::string workspace_id;
  std::string project_id;
  StackQuota quota;
  Labels execution_labels;  // cluster, namespace, ...: where the project's runs go
};

}  // namespace rampart
