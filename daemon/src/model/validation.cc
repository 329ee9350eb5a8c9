#include "model/validation.h"

#include <cctype>
#include <string_view>

namespace rampart {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Names and label keys share the DNS-label shape; label keys may also use '_' and '.'
// (cost_center, app.kubernetes.io-style keys).
bool IsDnsLabel(std::string_view value, std::string_view extra_inner_chars) {
  if (value.empty() || value.size() > kMaxNameLength) return false;
  if (!IsLower(value.front())) return false;
  char last = value.back();
  if (!IsLower(last) && !IsDigit(last)) return false;
  for (char c : value) {
    bool allowed = IsLower(c) || IsDigit(c) || c == '-' ||
                   extra_inner_chars.find(c) != std::string_view::npos;
    if (!allowed) return false;
  }
  return true;
}

// At most `max_bytes` of `value` for quoting in a message, cut at a character boundary so
// the message stays valid UTF-8.
std::string Excerpt(const std::string& value, size_t max_bytes) {
  if (value.size() <= max_bytes) return value;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  return value.substr(0, end) + "...";
}

}  // namespace

// Free text may not contain control characters other than newline and tab, so it renders
// safely in CLIs, CSV exports and logs. (UTF-8 validity is the JSON parser's job.)
Status ValidateText(const std::string& field, const std::string& value, size_t max_length) {
  if (value.size() > max_length) {
    return Status::InvalidArgument(
        field, "must be at most " + std::to_string(max_length) + " bytes", "too_long");
  }
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      return Status::InvalidArgument(field, "must not contain control characters",
                                     "control_character");
    }
  }
  return Status::Ok();
}

Status ValidateName(const std::string& field, const std::string& value) {
  if (value.empty()) return Status::InvalidArgument(field, "is required", "required");
  if (!IsDnsLabel(value, "")) {
    return Status::InvalidArgument(
        field,
        "must be a DNS label: 1-63 lowercase letters, digits or '-', starting with a letter "
        "and ending with a letter or digit (got \"" + Excerpt(value, 80) + "\")",
        "dns_label");
  }
  return Status::Ok();
}

Status ValidateLabels(const Labels& labels, const std::string& field_name) {
  if (labels.size() > kMaxLabels) {
    return Status::InvalidArgument(
        field_name, "must have at most " + std::to_string(kMaxLabels) + " entries", "too_many");
  }
  for (const auto& [key, value] : labels) {
    std::string field = field_name + "." + Excerpt(key, 80);
    if (!IsDnsLabel(key, "_.")) {
      return Status::InvalidArgument(
          field,
          "label keys must be 1-63 lowercase letters, digits, '-', '_' or '.', starting with "
          "a letter and ending with a letter or digit",
          "label_key");
    }
    RAMPART_RETURN_IF_ERROR(ValidateText(field, value, kMaxLabelValueLength));
  }
  return Status::Ok();
}

Status ValidateEmail(const std::string& field, const std::string& value) {
  size_t at = value.find('@');
  bool shaped = value.size() <= kMaxEmailLength && at != std::string::npos && at > 0 &&
                value.find('@', at + 1) == std::string::npos &&
                value.find('.', at + 2) != std::string::npos && value.back() != '.';
  for (unsigned char c : value) {
    if (c <= 0x20 || c == 0x7f || std::isupper(c)) shaped = false;
  }
  if (!shaped) {
    return Status::InvalidArgument(
        field, "must be an email address such as dana@example.com, lowercase, at most " +
                   std::to_string(kMaxEmailLength) + " bytes (got \"" + Excerpt(value, 80) + "\")",
        "email");
  }
  return Status::Ok();
}

}  // namespace rampart
