// Typed reading of JSON request fields, shared by every kind's patch function.
//
// Each kind accepts a JSON merge patch (RFC 7386) of its writable fields: on create it is
// the whole request body, on update the PATCH body. A field absent from the patch is left
// as it is; null resets an optional field. Every failure is kInvalidArgument whose field()
// is the JSON path of the offending value ("labels.team", "members[2]") and whose message
// says what is allowed.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/tenancy.h"

namespace rampart {

// Create: required fields must be present and not null. Update: nothing is required, and
// fields fixed at creation may not change.
enum class PatchMode { kCreate, kUpdate };

Status WrongType(const std::string& field, const char* expected, const nlohmann::json& value);

// kInvalidArgument naming the first key of `patch` not in `allowed` (or `patch` itself when
// it is not an object).
Status CheckKnownFields(const nlohmann::json& patch, const std::set<std::string>& allowed);
// On create: kInvalidArgument naming the first of `fields` that is absent or null.
Status CheckRequired(const nlohmann::json& patch, PatchMode mode,
                     std::initializer_list<const char*> fields);

Result<std::string> ReadString(const nlohmann::json& value, const std::string& field);
Result<bool> ReadBool(const nlohmann::json& value, const std::string& field);
// An integer in [0, max].
Result<int64_t> ReadCount(const nlohmann::json& value, const std::string& field, int64_t max);
// An object of strings (labels, execution labels), validated as labels.
Result<Labels> ReadLabels(const nlohmann::json& value, const std::string& field);
// An array of strings; null reads as empty.
Result<std::vector<std::string>> ReadStringList(const nlohmann::json& value,
                                                const std::string& field);

// Sets `target` to the text at `field` of `patch` when present (null: ""), validated as free
// text of at most `max_length` bytes.
Status ApplyText(const nlohmann::json& patch, const char* field, size_t max_length,
                 std::string& target);

// One of several fields that stand for the same thing (the principal of an assignment: user_id,
// team_id, ...): the JSON field and the type it names.
struct FieldChoice {
  const char* field;
  const char* type;
};
// Reads the one field of `fields` present (and not null) in `patch` into (type, ref).
// `required`: exactly one must be; otherwise at most one. `what` names the choice in
// messages ("the principal").
Status ReadOneOf(const nlohmann::json& patch, std::span<const FieldChoice> fields, bool required,
                 const char* what, std::string& type, std::string& ref);

// A value fixed at creation: an update may repeat it but not change it ("immutable").
Status CheckUnchanged(PatchMode mode, const std::string& field, const std::string& current,
                      const std::string& requested);

// Applies the ObjectMeta fields of `patch` (display_name, description, labels, and `name`
// unless `with_name` is false), validated. The kind checks for unknown fields.
Status ApplyMetaPatch(const nlohmann::json& patch, bool with_name, ObjectMeta& meta);

// The meta fields every kind accepts, for CheckKnownFields.
std::set<std::string> MetaFields(std::initializer_list<const char*> kind_fields,
                                 bool with_name = true);

}  // namespace rampart
