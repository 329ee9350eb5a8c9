#include "model/tenancy.h"

namespace rampart {

bool IsIdOf(const std::string& ref, const char* prefix) {
  std::string expected = std::string(prefix) + "_";
  if (ref.size() <= expected.size() || ref.compare(0, expected.size(), expected) != 0) return false;
  // Ids are "<prefix>_<lowercase hex>": "usr_ops@example.com" is an email, not an id.
  for (size_t i = expected.size(); i < ref.size(); ++i) {
    char c = ref[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

}  // namespace rampart
