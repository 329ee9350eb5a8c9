#include "http/json_body.h"

#include <charconv>

#include "model/json_fields.h"

namespace rampart::http {

namespace {

// The first string or key under `value` (at `path`) holding U+0000: no field of the API means
// one, and PostgreSQL text cannot hold it, so it is refused the same way on every store.
Status RejectNul(const nlohmann::json& value, const std::string& path) {
  auto at = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
  if (value.is_string() && value.get_ref<const std::string&>().find('\0') != std::string::npos) {
    return Status::InvalidArgument(path, "must not contain the NUL character (\\u0000)", "nul_character");
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key.find('\0') != std::string::npos) {
        return Status::InvalidArgument(path.empty() ? "body" : path, "keys must not contain the NUL character",
                                       "nul_character");
      }
      RAMPART_RETURN_IF_ERROR(RejectNul(item, at(key)));
    }
  }
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) RAMPART_RETURN_IF_ERROR(RejectNul(value[i], path + "[" + std::to_string(i) + "]"));
  }
  return Status::Ok();
}

}  // namespace

Result<nlohmann::json> ParseJsonObject(const std::string& body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument("body", "is not valid JSON", "malformed_json");
  }
  if (!parsed.is_object()) return WrongType("body", "a JSON object", parsed);
  RAMPART_RETURN_IF_ERROR(RejectNul(parsed, ""));
  return parsed;
}

Result<nlohmann::json> ParseObjectBody(const std::string& body,
                                       const std::set<std::string>& allowed_fields) {
  RAMPART_ASSIGN_OR_RETURN(nlohmann::json parsed, ParseJsonObject(body));
  RAMPART_RETURN_IF_ERROR(CheckKnownFields(parsed, allowed_fields));
  return parsed;
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
