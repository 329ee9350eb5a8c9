#include "http/json_body.h"

#include <charconv>

namespace rampart::http {
namespace {

const char* TypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return "a number";
  }
}

Status WrongType(const std::string& field, const char* expected, const nlohmann::json& value) {
  return Status::InvalidArgument(field,
                                 std::string("must be ") + expected + ", got " + TypeName(value),
                                 "wrong_type");
}

Result<std::string> ReadString(const nlohmann::json& value, const std::string& field) {
  if (!value.is_string()) return WrongType(field, "a string", value);
  return value.get<std::string>();
}

Result<Labels> ReadLabels(const nlohmann::json& value) {
  if (!value.is_object()) return WrongType("labels", "an object of strings", value);
  Labels labels;
  for (const auto& [key, entry] : value.items()) {
    if (!entry.is_string()) return WrongType("labels." + key, "a string", entry);
    labels[key] = entry.get<std::string>();
  }
  return labels;
}

}  // namespace

const std::set<std::string>& ObjectSpecFields() {
  static const std::set<std::string> kFields = {"name", "display_name", "description", "labels"};
  return kFields;
}

const std::set<std::string>& OrganizationSpecFields() {
  static const std::set<std::string> kFields = {"name", "display_name", "description"};
  return kFields;
}

Result<nlohmann::json> ParseObjectBody(const std::string& body,
                                       const std::set<std::string>& allowed_fields) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument("body", "is not valid JSON", "malformed_json");
  }
  if (!parsed.is_object()) return WrongType("body", "a JSON object", parsed);
  for (const auto& [key, value] : parsed.items()) {
    if (allowed_fields.count(key) == 0) {
      std::string known;
      for (const std::string& field : allowed_fields) known += (known.empty() ? "" : ", ") + field;
      return Status::InvalidArgument(key, "unknown field (accepted: " + known + ")",
                                     "unknown_field");
    }
  }
  return parsed;
}

Result<ObjectSpec> ReadObjectSpec(const nlohmann::json& body) {
  ObjectSpec spec;
  if (!body.contains("name")) return Status::InvalidArgument("name", "is required", "required");
  RAMPART_ASSIGN_OR_RETURN(spec.name, ReadString(body["name"], "name"));
  if (body.contains("display_name")) {
    RAMPART_ASSIGN_OR_RETURN(spec.display_name, ReadString(body["display_name"], "display_name"));
  }
  if (body.contains("description")) {
    RAMPART_ASSIGN_OR_RETURN(spec.description, ReadString(body["description"], "description"));
  }
  if (body.contains("labels")) {
    RAMPART_ASSIGN_OR_RETURN(spec.labels, ReadLabels(body["labels"]));
  }
  return spec;
}

Result<ObjectPatch> ReadObjectPatch(const nlohmann::json& body) {
  ObjectPatch patch;
  if (body.contains("name")) {
    RAMPART_ASSIGN_OR_RETURN(patch.name, ReadString(body["name"], "name"));
  }
  for (const char* field : {"display_name", "description"}) {
    if (!body.contains(field)) continue;
    std::optional<std::string>& target =
        std::string(field) == "display_name" ? patch.display_name : patch.description;
    if (body[field].is_null()) {
      target = "";
    } else {
      RAMPART_ASSIGN_OR_RETURN(target, ReadString(body[field], field));
    }
  }
  if (body.contains("labels")) {
    if (body["labels"].is_null()) {
      patch.labels = Labels{};
    } else {
      RAMPART_ASSIGN_OR_RETURN(patch.labels, ReadLabels(body["labels"]));
    }
  }
  return patch;
}

const std::set<std::string>& ApiKeySpecFields() {
  static const std::set<std::string> kFields = {"description", "expires_at"};
  return kFields;
}

Result<ApiKeySpec> ReadApiKeySpec(const nlohmann::json& body) {
  ApiKeySpec spec;
  if (body.contains("description")) {
    RAMPART_ASSIGN_OR_RETURN(spec.description, ReadString(body["description"], "description"));
  }
  if (body.contains("expires_at") && !body["expires_at"].is_null()) {
    RAMPART_ASSIGN_OR_RETURN(std::string text, ReadString(body["expires_at"], "expires_at"));
    TimestampMs expires_at = 0;
    if (!ParseTimestamp(text, expires_at)) {
      return Status::InvalidArgument(
          "expires_at", "must be an RFC 3339 time, e.g. 2027-01-01T00:00:00Z", "not_a_time");
    }
    spec.expires_at = expires_at;
  }
  return spec;
}

Result<std::optional<int64_t>> ParseIfMatch(const std::string& header) {
  if (header.empty() || header == "*") return std::optional<int64_t>();
  std::string value = header;
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  int64_t revision = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), revision);
  if (error != std::errc() || end != value.data() + value.size() || revision < 1) {
    return Status::InvalidArgument(
        "If-Match", "must be an ETag from a previous response, e.g. \"3\" (got " +
                        header.substr(0, 40) + ")",
        "malformed_etag");
  }
  return std::optional<int64_t>(revision);
}

}  // namespace rampart::http
