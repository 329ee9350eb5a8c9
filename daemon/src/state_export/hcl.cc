#include "state_export/hcl.h"

#include <cctype>
#include <cstdio>

namespace rampart::state_export {
namespace {

bool IsIdentifier(const std::string& key) {
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string HclString(const std::string& text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool opens_template = (c == '$' || c == '%') && i + 1 < text.size() && text[i + 1] == '{';
    if (opens_template) {
      out += c;  // "$${" and "%%{" are the literal "${" and "%{"
      out += c;
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string HclValue(const nlohmann::json& value, int indent) {
  const std::string inner(indent + 2, ' ');
  if (value.is_string()) return HclString(value.get<std::string>());
  if (value.is_array()) {
    if (value.empty()) return "[]";
    bool scalars = true;
    for (const auto& element : value) scalars = scalars && element.is_primitive();
    std::string out = "[";
    if (scalars) {  // one line, as people write short lists
      for (size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + HclValue(value[i], indent);
      return out + "]";
    }
    out += "\n";
    for (const auto& element : value) out += inner + HclValue(element, indent + 2) + ",\n";
    return out + std::string(indent, ' ') + "]";
  }
  if (value.is_object()) {
    if (value.empty()) return "{}";
    size_t width = 0;
    for (const auto& [key, element] : value.items()) {
      width = std::max(width, (IsIdentifier(key) ? key : HclString(key)).size());
    }
    std::string out = "{\n";
    for (const auto& [key, element] : value.items()) {
      std::string name = IsIdentifier(key) ? key : HclString(key);
      name.resize(width, ' ');
      out += inner + name + " = " + HclValue(element, indent + 2) + "\n";
    }
    return out + std::string(indent, ' ') + "}";
  }
  return value.dump();  // null, true, false, numbers read the same in HCL
}

std::string HclLabel(const std::string& text) {
  std::string label;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      label += static_cast<char>(std::tolower(u));
    } else if (!label.empty() && label.back() != '_') {
      label += '_';
    }
  }
  while (!label.empty() && label.back() == '_') label.pop_back();
  if (label.empty() || !std::isalpha(static_cast<unsigned char>(label[0]))) label = "r_" + label;
  return label;
}

}  // namespace rampart::state_export
