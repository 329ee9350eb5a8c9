#include "authz/permissions.h"

#include <unordered_map>

namespace rampart::authz {
namespace {

struct ResourceActions {
  const char* resource;
  const char* noun;  // for descriptions
  std::vector<const char*> actions;
};

std::vector<PermissionInfo> BuildVocabulary() {
  const std::vector<ResourceActions> resources = {
      {"organization", "the organization", {"create", "read", "update", "delete"}},
      {"workspace", "workspaces", {"create", "read", "update", "delete"}},
      {"project", "projects", {"create", "read", "update", "delete"}},
      {"user", "users", {"create", "read", "update", "delete"}},
      {"service_account", "service accounts", {"create", "read", "update", "delete"}},
      {"api_key", "API keys", {"create", "read", "delete"}},
      {"team", "teams", {"create", "read", "update", "delete"}},
      {"role", "custom roles", {"create", "read", "update", "delete"}},
      {"role_assignment", "role assignments", {"create", "read", "update", "delete"}},
      {"stack", "stacks", {"create", "read", "update", "delete", "use"}},
      {"stack_component", "stack components", {"create", "read", "update", "delete"}},
      {"pipeline", "pipelines", {"create", "read", "update", "delete", "run"}},
      {"pipeline_run", "pipeline runs", {"read", "update", "delete"}},
      {"model", "models",
       {"create", "read", "update", "delete", "promote:staging", "promote:production",
        "promote:archived", "approve:staging", "approve:production", "approve:archived"}},
      {"model_version", "model versions", {"create", "read", "update", "delete"}},
      {"promotion_policy", "promotion policies", {"create", "read", "update", "delete"}},
      {"artifact", "artifacts", {"create", "read", "delete"}},
      {"secret", "secret references", {"create", "read", "update", "delete"}},
      {"audit_log", "the audit log", {"read"}},
  };
  std::vector<PermissionInfo> vocabulary;
  for (const ResourceActions& resource : resources) {
    for (const char* action : resource.actions) {
      std::string verb = action;
      std::string description;
      if (verb == "use") {
        description = "run on " + std::string(resource.noun);
      } else if (verb == "run") {
        description = "run " + std::string(resource.noun);
      } else if (verb.rfind("promote:", 0) == 0) {
        description = "promote " + std::string(resource.noun) + " to " + verb.substr(8);
      } else if (verb.rfind("approve:", 0) == 0) {
        description = "approve promotions of " + std::string(resource.noun) + " to " + verb.substr(8);
      } else {
        description = verb + " " + resource.noun;
      }
      vocabulary.push_back({std::string(resource.resource) + ":" + verb, description});
    }
  }
  return vocabulary;
}

const std::unordered_map<std::string_view, size_t>& IndexByName() {
  static const auto* index = [] {
    auto* map = new std::unordered_map<std::string_view, size_t>();
    const auto& vocabulary = Vocabulary();
    for (size_t i = 0; i < vocabulary.size(); ++i) map->emplace(vocabulary[i].name, i);
    return map;
  }();
  return *index;
}

std::vector<std::string_view> Segments(std::string_view text) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    size_t colon = text.find(':', start);
    segments.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) return segments;
    start = colon + 1;
  }
}

bool IsSegment(std::string_view segment) {
  if (segment == "*") return true;
  if (segment.empty()) return false;
  for (char c : segment) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

const std::vector<PermissionInfo>& Vocabulary() {
  static const std::vector<PermissionInfo> kVocabulary = [] {
    std::vector<PermissionInfo> vocabulary = BuildVocabulary();
    if (vocabulary.size() > kMaxPermissions) std::abort();  // raise kMaxPermissions
    return vocabulary;
  }();
  return kVocabulary;
}

std::optional<size_t> PermissionIndex(std::string_view permission) {
  const auto& index = IndexByName();
  auto found = index.find(permission);
  if (found == index.end()) return std::nullopt;
  return found->second;
}

bool PatternMatches(std::string_view pattern, std::string_view permission) {
  std::vector<std::string_view> wanted = Segments(pattern);
  std::vector<std::string_view> actual = Segments(permission);
  for (size_t i = 0; i < wanted.size(); ++i) {
    bool last = i + 1 == wanted.size();
    if (last && wanted[i] == "*") return actual.size() >= wanted.size();
    if (i >= actual.size()) return false;
    if (wanted[i] != "*" && wanted[i] != actual[i]) return false;
  }
  return wanted.size() == actual.size();
}

Status ValidatePattern(const std::string& field, const std::string& pattern) {
  for (std::string_view segment : Segments(pattern)) {
    if (!IsSegment(segment)) {
      return Status::InvalidArgument(
          field,
          "must be a permission pattern like \"stack:use\", \"model:*\" or \"*:read\": segments "
          "of lowercase letters, digits and '_' or \"*\", separated by ':' (got \"" +
              pattern.substr(0, 80) + "\")",
          "permission_pattern");
    }
  }
  for (const PermissionInfo& permission : Vocabulary()) {
    if (PatternMatches(pattern, permission.name)) return Status::Ok();
  }
  return Status::InvalidArgument(
      field, "\"" + pattern.substr(0, 80) + "\" grants no known permission (see GET /v1/permissions)",
      "unknown_permission");
}

PermissionSet PermissionSet::FromPatterns(const std::vector<std::string>& patterns) {
  PermissionSet set;
  const auto& vocabulary = Vocabulary();
  for (const std::string& pattern : patterns) {
    for (size_t i = 0; i < vocabulary.size(); ++i) {
      if (PatternMatches(pattern, vocabulary[i].name)) set.bits_.set(i);
    }
  }
  return set;
}

PermissionSet PermissionSet::All() { return FromPatterns({"*"}); }

bool PermissionSet::Contains(std::string_view permission) const {
  std::optional<size_t> index = PermissionIndex(permission);
  return index && bits_.test(*index);
}

std::vector<std::string> PermissionSet::Names() const {
  std::vector<std::string> names;
  const auto& vocabulary = Vocabulary();
  for (size_t i = 0; i < vocabulary.size(); ++i) {
    if (bits_.test(i)) names.push_back(vocabulary[i].name);
  }
  return names;
}

std::vector<std::string> PermissionSet::Missing(const PermissionSet& other) const {
  PermissionSet missing;
  missing.bits_ = other.bits_ & ~bits_;
  return missing.Names();
}

}  // namespace rampart::authz
