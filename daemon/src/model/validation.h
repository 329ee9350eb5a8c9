// Validation of user input against the domain rules of SPEC section 2.
//
// Every failure is Status kInvalidArgument whose field() is the JSON field name (for labels,
// "labels.<key>") and whose message names the field and says what is allowed.
#pragma once

#include <string>

#include "common/status.h"
#include "model/tenancy.h"

namespace rampart {

inline constexpr size_t kMaxNameLength = 63;
inline constexpr size_t kMaxDisplayNameLength = 256;
inline constexpr size_t kMaxDescriptionLength = 4096;
inline constexpr size_t kMaxLabels = 64;
inline constexpr size_t kMaxLabelValueLength = 256;
inline constexpr size_t kMaxEmailLength = 254;

// Lowercase DNS label: [a-z]([a-z0-9-]{0,61}[a-z0-9])?
Status ValidateName(const std::string& field, const std::string& value);
// `field_name` prefixes the key in errors: "labels.team".
Status ValidateLabels(const Labels& labels, const std::string& field_name = "labels");
// Free text: at most `max_length` bytes, no control characters but newline and tab.
Status ValidateText(const std::string& field, const std::string& value, size_t max_length);
// One '@', a dot in the domain, no spaces or capitals (callers lowercase first).
Status ValidateEmail(const std::string& field, const std::string& value);

}  // namespace rampart
