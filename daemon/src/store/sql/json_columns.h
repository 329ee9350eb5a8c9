// The fields of an object kept as one JSON text column: composites that are read and written
// whole, never queried. The text is what both SQLite and PostgreSQL store. Free functions,
// no state.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "model/governance.h"
#include "model/stacks.h"

namespace rampart::sql {

// Any JSON-convertible value (string lists, label maps) as compact JSON text; std::map keys
// come out sorted, so the text is canonical.
template <typename Value>
std::string ToJsonText(const Value& value) {
  return nlohmann::json(value).dump();
}

template <typename Value>
Value FromJsonText(const std::string& text) {
  return nlohmann::json::parse(text).get<Value>();
}

std::string QuotaToJson(const StackQuota& quota);
StackQuota QuotaFromJson(const std::string& text);

std::string SourceToJson(const ModelVersionSource& source);
ModelVersionSource SourceFromJson(const std::string& text);

// A policy's rules, beyond its scope and stage.
std::string RulesToJson(const PromotionPolicy& policy);
void RulesFromJson(const std::string& text, PromotionPolicy& policy);

// What a request carries beyond the columns lists filter on.
std::string DetailsToJson(const PromotionRequest& request);
void DetailsFromJson(const std::string& text, PromotionRequest& request);

}  // namespace rampart::sql
