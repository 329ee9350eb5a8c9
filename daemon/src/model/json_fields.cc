#include "model/json_fields.h"

#include "model/validation.h"

namespace rampart {
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

}  // namespace

Status WrongType(const std::string& field, const char* expected, const nlohmann::json& value) {
  return Status::InvalidArgument(field,
                                 std::string("must be ") + expected + ", got " + TypeName(value),
                                 "wrong_type");
}

Status CheckKnownFields(const nlohmann::json& patch, const std::set<std::string>& allowed) {
  if (!patch.is_object()) return WrongType("body", "a JSON object", patch);
  for (const auto& [key, value] : patch.items()) {
    if (allowed.count(key) > 0) continue;
    std::string known;
    for (const std::string& field : allowed) known += (known.empty() ? "" : ", ") + field;
    // An empty key is named as JSON spells it, so the message still starts with a field.
    return Status::InvalidArgument(key.empty() ? "\"\"" : key, "unknown field (accepted: " + known + ")",
                                   "unknown_field");
  }
  return Status::Ok();
}

Status CheckRequired(const nlohmann::json& patch, PatchMode mode,
                     std::initializer_list<const char*> fields) {
  if (mode != PatchMode::kCreate) return Status::Ok();
  for (const char* field : fields) {
    if (!patch.contains(field) || patch[field].is_null()) {
      return Status::InvalidArgument(field, "is required", "required");
    }
  }
  return Status::Ok();
}

Result<std::string> ReadString(const nlohmann::json& value, const std::string& field) {
  if (!value.is_string()) return WrongType(field, "a string", value);
  return value.get<std::string>();
}

Result<bool> ReadBool(const nlohmann::json& value, const std::string& field) {
  if (!value.is_boolean()) return WrongType(field, "a boolean", value);
  return value.get<bool>();
}

Result<int64_t> ReadCount(const nlohmann::json& value, const std::string& field, int64_t max) {
  if (!value.is_number_integer() && !value.is_number_unsigned()) {
    return WrongType(field, "a whole number", value);
  }
  if (value.is_number_unsigned() ? value.get<uint64_t>() > static_cast<uint64_t>(max)
                                 : (value.get<int64_t>() < 0 || value.get<int64_t>() > max)) {
    return Status::InvalidArgument(field, "must be between 0 and " + std::to_string(max),
                                   "out_of_range");
  }
  return value.get<int64_t>();
}

Result<Labels> ReadLabels(const nlohmann::json& value, const std::string& field) {
  if (!value.is_object()) return WrongType(field, "an object of strings", value);
  Labels labels;
  for (const auto& [key, entry] : value.items()) {
    if (!entry.is_string()) return WrongType(field + "." + key, "a string", entry);
    labels[key] = entry.get<std::string>();
  }
  RAMPART_RETURN_IF_ERROR(ValidateLabels(labels, field));
  return labels;
}

Result<std::vector<std::string>> ReadStringList(const nlohmann::json& value,
                                                const std::string& field) {
  std::vector<std::string> list;
  if (value.is_null()) return list;
  if (!value.is_array()) return WrongType(field, "an array of strings", value);
  for (size_t i = 0; i < value.size(); ++i) {
    RAMPART_ASSIGN_OR_RETURN(std::string entry,
                             ReadString(value[i], field + "[" + std::to_string(i) + "]"));
    list.push_back(std::move(entry));
  }
  return list;
}

Status ApplyText(const nlohmann::json& patch, const char* field, size_t max_length,
                 std::string& target) {
  if (!patch.contains(field)) return Status::Ok();
  if (patch[field].is_null()) {
    target.clear();
    return Status::Ok();
  }
  RAMPART_ASSIGN_OR_RETURN(std::string value, ReadString(patch[field], field));
  RAMPART_RETURN_IF_ERROR(ValidateText(field, value, max_length));
  target = std::move(value);
  return Status::Ok();
}

Status ReadOneOf(const nlohmann::json& patch, std::span<const FieldChoice> fields, bool required,
                 const char* what, std::string& type, std::string& ref) {
  std::string names;
  int present = 0;
  for (const FieldChoice& candidate : fields) {
    names += (names.empty() ? "" : ", ") + std::string(candidate.field);
    if (!patch.contains(candidate.field) || patch[candidate.field].is_null()) continue;
    ++present;
    RAMPART_ASSIGN_OR_RETURN(ref, ReadString(patch[candidate.field], candidate.field));
    if (ref.empty()) return Status::InvalidArgument(candidate.field, "must not be empty", "required");
    type = candidate.type;
  }
  if (present > 1 || (required && present == 0)) {
    return Status::InvalidArgument(fields[0].field,
                                   std::string(required ? "exactly" : "at most") + " one of " +
                                       names + " must be set (the " + what + ")",
                                   "one_of");
  }
  return Status::Ok();
}

Status CheckUnchanged(PatchMode mode, const std::string& field, const std::string& current,
                      const std::string& requested) {
  if (mode == PatchMode::kCreate || current == requested) return Status::Ok();
  return Status::InvalidArgument(field,
                                 "cannot change after creation (is \"" + current +
                                     "\"); create a new object instead",
                                 "immutable");
}

Status ApplyMetaPatch(const nlohmann::json& patch, bool with_name, ObjectMeta& meta) {
  if (with_name && patch.contains("name")) {
    RAMPART_ASSIGN_OR_RETURN(std::string name, ReadString(patch["name"], "name"));
    RAMPART_RETURN_IF_ERROR(ValidateName("name", name));
    meta.name = std::move(name);
  }
  RAMPART_RETURN_IF_ERROR(
      ApplyText(patch, "display_name", kMaxDisplayNameLength, meta.display_name));
  RAMPART_RETURN_IF_ERROR(ApplyText(patch, "description", kMaxDescriptionLength, meta.description));
  if (patch.contains("labels")) {
    if (patch["labels"].is_null()) {
      meta.labels.clear();
    } else {
      RAMPART_ASSIGN_OR_RETURN(meta.labels, ReadLabels(patch["labels"], "labels"));
    }
  }
  return Status::Ok();
}

std::set<std::string> MetaFields(std::initializer_list<const char*> kind_fields, bool with_name) {
  std::set<std::string> fields = {"display_name", "description", "labels"};
  if (with_name) fields.insert("name");
  for (const char* field : kind_fields) fields.insert(field);
  return fields;
}

}  // namespace rampart
