#include "auth/api_key.h"

#include "common/random.h"
#include "model/tenancy.h"

namespace rampart {
namespace {
constexpr char kTokenPrefix[] = "rmp_";
constexpr size_t kSecretBytes = 32;
}  // namespace

IssuedApiKey IssueApiKey(const std::string& organization_id, bool system_admin,
                         const std::string& description, TimestampMs now) {
  IssuedApiKey issued;
  std::string secret = RandomHex(kSecretBytes);
  issued.record.id = NewId(kApiKeyIdPrefix);
  issued.record.organization_id = organization_id;
  issued.record.secret_hash = Sha256Hex(secret);
  issued.record.description = description;
  issued.record.system_admin = system_admin;
  issued.record.created_at = now;
  issued.token = kTokenPrefix + issued.record.id + "." + secret;
  return issued;
}

std::optional<ParsedToken> ParseToken(const std::string& token) {
  const std::string prefix = kTokenPrefix;
  if (token.size() <= prefix.size() || token.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  size_t dot = token.find('.', prefix.size());
  if (dot == std::string::npos || dot == prefix.size() || dot + 1 == token.size()) {
    return std::nullopt;
  }
  ParsedToken parsed{token.substr(prefix.size(), dot - prefix.size()), token.substr(dot + 1)};
  if (!IsIdOf(parsed.key_id, kApiKeyIdPrefix)) return std::nullopt;
  return parsed;
}

bool VerifySecret(const ApiKeyRecord& record, const std::string& secret, TimestampMs now) {
  // Hash first and compare hashes: equal lengths, so the comparison time leaks nothing.
  bool matches = ConstantTimeEquals(Sha256Hex(secret), record.secret_hash);
  if (!matches) return false;
  if (record.revoked_at) return false;
  if (record.expires_at && *record.expires_at <= now) return false;
  return true;
}

}  // namespace rampart
