// libFuzzer target over the permission-pattern matcher (authz/permissions.h), checked against
// a reference written from SPEC section 3 here: segment by segment, "*" matches any one
// segment and a trailing "*" matches the rest.
//
// Input: a pattern and a permission separated by a newline. Invariants:
//   - a pattern ValidatePattern accepts matches exactly the permissions the reference says,
//     over the whole vocabulary, and its PermissionSet holds exactly those;
//   - a refused pattern is kInvalidArgument naming the field;
//   - PatternMatches agrees with the reference for the fuzzed permission too;
//   - "*" grants everything, and every permission grants itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "authz/permissions.h"

namespace {

void Require(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

std::vector<std::string_view> Segments(std::string_view text) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    size_t colon = text.find(':', start);
    segments.push_back(text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) return segments;
    start = colon + 1;
  }
}

bool ReferenceMatches(std::string_view pattern, std::string_view permission) {
  std::vector<std::string_view> wanted = Segments(pattern);
  std::vector<std::string_view> given = Segments(permission);
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == "*" && i + 1 == wanted.size()) return given.size() >= wanted.size();
    if (i >= given.size() || (wanted[i] != "*" && wanted[i] != given[i])) return false;
  }
  return wanted.size() == given.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string pattern = input.substr(0, newline);
  const std::string permission = newline == std::string::npos ? "" : input.substr(newline + 1);
  using namespace rampart::authz;

  rampart::Status valid = ValidatePattern("permissions[0]", pattern);
  if (!valid.ok()) {
    Require(valid.code() == rampart::StatusCode::kInvalidArgument, "a bad pattern is invalid input");
    Require(valid.message().rfind("permissions[0]", 0) == 0, "the refusal names the field first");
  } else {
    PermissionSet granted = PermissionSet::FromPatterns({pattern});
    bool any = false;
    for (const PermissionInfo& info : Vocabulary()) {
      bool expected = ReferenceMatches(pattern, info.name);
      Require(PatternMatches(pattern, info.name) == expected, "the matcher agrees with the reference");
      Require(granted.Contains(info.name) == expected, "the expanded set agrees with the matcher");
      any = any || expected;
    }
    Require(any, "an accepted pattern grants at least one permission");
    if (PermissionIndex(permission)) {
      Require(PatternMatches(pattern, permission) == ReferenceMatches(pattern, permission),
              "the matcher agrees with the reference on the fuzzed permission");
    }
  }
  if (PermissionIndex(permission)) {
    Require(PatternMatches("*", permission), "* grants every permission");
    Require(PatternMatches(permission, permission), "a permission grants itself");
  }
  return 0;
}
