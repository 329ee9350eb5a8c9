#include "model/list_query.h"

#include <algorithm>
#include <cctype>

#include "model/validation.h"

namespace rampart {
namespace {

constexpr char kTokenVersion[] = "v1";

std::string Hex(const std::string& text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

std::optional<std::string> Unhex(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = value(hex[i]);
    int low = value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

Status InvalidToken() {
  return Status::InvalidArgument(
      "page_token", "is not a token from a previous page of this list", "invalid_page_token");
}

}  // namespace

std::string EncodePageToken(const std::string& name, const std::string& id) {
  return Hex(std::string(kTokenVersion) + "\n" + name + "\n" + id);
}

Status ValidatePageSize(size_t page_size) {
  if (page_size >= 1 && page_size <= kMaxPageSize) return Status::Ok();
  return Status::InvalidArgument(
      "page_size", "must be between 1 and " + std::to_string(kMaxPageSize), "out_of_range");
}

Result<ListQuery> ToListQuery(const ListRequest& request) {
  ListQuery query;
  RAMPART_RETURN_IF_ERROR(ValidatePageSize(request.page_size));
  query.limit = request.page_size + 1;
  // Names are DNS labels, users' names their emails: any printable prefix may match.
  RAMPART_RETURN_IF_ERROR(ValidateText("name_prefix", request.name_prefix, kMaxEmailLength));
  // Stored names are lowercase (DNS labels, lowercased emails): match prefixes likewise.
  query.name_prefix = request.name_prefix;
  std::transform(query.name_prefix.begin(), query.name_prefix.end(), query.name_prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  RAMPART_RETURN_IF_ERROR(ValidateLabels(request.labels));
  query.labels = request.labels;
  if (request.ids.size() > kMaxPageSize) {
    return Status::InvalidArgument("ids", "at most " + std::to_string(kMaxPageSize) + " per request",
                                   "too_many");
  }
  query.ids = request.ids;
  if (!request.page_token.empty()) {
    std::optional<std::string> decoded = Unhex(request.page_token);
    if (!decoded) return InvalidToken();
    size_t first = decoded->find('\n');
    size_t second = first == std::string::npos ? first : decoded->find('\n', first + 1);
    if (second == std::string::npos || decoded->substr(0, first) != kTokenVersion) {
      return InvalidToken();
    }
    query.after_name = decoded->substr(first + 1, second - first - 1);
    query.after_id = decoded->substr(second + 1);
  }
  return query;
}

}  // namespace rampart
