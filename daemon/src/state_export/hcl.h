// Writing HCL (the Terraform configuration language) from JSON values: quoted strings with
// HCL's template sequences escaped, maps and lists laid out as `terraform fmt` would.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rampart::state_export {

// `text` as an HCL string literal: quotes, backslashes and control characters escaped, and
// `${` / `%{` doubled so that Terraform reads them as text, not as a template.
std::string HclString(const std::string& text);

// `value` as an HCL expression (null, bool, number, string, list or object). Nested lines
// are indented for a value that starts at `indent` spaces.
std::string HclValue(const nlohmann::json& value, int indent);

// A Terraform block label made of `text`: lowercase letters, digits and underscores,
// starting with a letter ("alpha-workspace" -> "alpha_workspace", "7up" -> "r_7up").
std::string HclLabel(const std::string& text);

}  // namespace rampart::state_export
