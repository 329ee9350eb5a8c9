// The permission vocabulary and pattern matching (SPEC section 3).
//
// A permission is "resource:action[:qualifier]" ("stack:use", "model:promote:production").
// Roles grant patterns: segment by segment, "*" matches any one segment, and a trailing "*"
// matches the rest ("model:*", "*:read", "*"). Because the vocabulary is closed, a set of
// patterns is expanded once into a PermissionSet (a bitset over the vocabulary), so a
// check is one bit test. Everything here is immutable after static initialization and
// thread-safe.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace rampart::authz {

struct PermissionInfo {
  std::string name;         // "stack:use"
  std::string description;  // for GET /v1/permissions
};

// Every permission the daemon knows, in a stable order: the one place they are defined.
const std::vector<PermissionInfo>& Vocabulary();

inline constexpr size_t kMaxPermissions = 128;

// The position of `permission` in Vocabulary(), or nullopt when it is not a permission.
std::optional<size_t> PermissionIndex(std::string_view permission);

// True when `pattern` grants `permission` (both well-formed).
bool PatternMatches(std::string_view pattern, std::string_view permission);

// kInvalidArgument naming `field` unless `pattern` is well-formed and grants at least one
// permission of the vocabulary (so a typo like "stak:use" is caught, not silently inert).
Status ValidatePattern(const std::string& field, const std::string& pattern);

// A set of permissions of the vocabulary.
class PermissionSet {
 public:
  PermissionSet() = default;
  // Every permission some pattern grants; patterns must be valid.
  static PermissionSet FromPatterns(const std::vector<std::string>& patterns);
  static PermissionSet All();

  bool Contains(size_t index) const { return bits_.test(index); }
  bool Contains(std::string_view permission) const;
  // True when every permission of `other` is also in this set.
  bool ContainsAll(const PermissionSet& other) const { return (other.bits_ & ~bits_).none(); }
  void Add(const PermissionSet& other) { bits_ |= other.bits_; }
  bool Empty() const { return bits_.none(); }
  bool operator==(const PermissionSet&) const = default;
  // The permissions' names, in vocabulary order.
  std::vector<std::string> Names() const;
  // The names of the permissions of `other` missing from this set.
  std::vector<std::string> Missing(const PermissionSet& other) const;

 private:
  std::bitset<kMaxPermissions> bits_;
};

}  // namespace rampart::authz
