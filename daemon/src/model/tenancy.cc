#include "model/tenancy.h"

namespace rampart {

bool IsIdOf(const std::string& ref, const char* prefix) {
  std::string expected = std::string(prefix) + "_";
  return ref.size() > expected.size() && ref.compare(0, expected.size(), expected) == 0;
}

}  // namespace rampart
