// libFuzzer target over the permission-pattern matcher (authz/permissions.h), checked against
// a reference written here from SPEC section 3 as a regular expression: segment by segment,
// "*" matches any one segment and a trailing "*" matches the rest.
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
#include <cctype>
#include <regex>

#include "authz/permissions.h"

namespace {

void Require(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

// The reference, written another way than the matcher: the pattern becomes a regular
// expression ("*" one segment, a trailing "*" one or more), the permission must match it
// whole.
std::regex Reference(const std::string& pattern) {
  std::string expression;
  size_t start = 0;
  while (true) {
    size_t colon = pattern.find(':', start);
    std::string segment = pattern.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    const bool last = colon == std::string::npos;
    if (segment == "*") {
      expression += last ? "[^:]+(:[^:]+)*" : "[^:]+";
    } else {
      for (char c : segment) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') expression += '\\';
        expression += c;
      }
    }
    if (last) break;
    expression += ':';
    start = colon + 1;
  }
  return std::regex(expression);
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
    const std::regex reference = Reference(pattern);
    bool any = false;
    for (const PermissionInfo& info : Vocabulary()) {
      bool expected = std::regex_match(info.name, reference);
      Require(PatternMatches(pattern, info.name) == expected, "the matcher agrees with the reference");
      Require(granted.Contains(info.name) == expected, "the expanded set agrees with the matcher");
      any = any || expected;
    }
    Require(any, "an accepted pattern grants at least one permission");
    if (PermissionIndex(permission)) {
      Require(PatternMatches(pattern, permission) == std::regex_match(permission, reference),
              "the matcher agrees with the reference on the fuzzed permission");
    }
  }
  if (PermissionIndex(permission)) {
    Require(PatternMatches("*", permission), "* grants every permission");
    Require(PatternMatches(permission, permission), "a permission grants itself");
  }
  return 0;
}
