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

// Applies the ObjectMeta fields of `patch` (display_name, description, labels, and `name`
// unless `with_name` is false), validated. The kind checks for unknown fields.
Status ApplyMetaPatch(const nlohmann::json& patch, bool with_name, ObjectMeta& meta);

// The meta fields every kind accepts, for CheckKnownFields.
std::set<std::string> MetaFields(std::initializer_list<const char*> kind_fields,
                                 bool with_name = true);

}  // namespace rampart
