#include "model/tenancy.h"

namespace rampart {

void ApplyPatch(const ObjectPatch& patch, ObjectMeta& meta) {
  if (patch.name) meta.name = *patch.name;
  if (patch.display_name) meta.display_name = *patch.display_name;
  if (patch.description) meta.description = *patch.description;
  if (patch.labels) meta.labels = *patch.labels;
}

bool IsIdOf(const std::string& ref, const char* prefix) {
  std::string expected = std::string(prefix) + "_";
  return ref.size() > expected.size() && ref.compare(0, expected.size(), expected) == 0;
}

}  // namespace rampart
