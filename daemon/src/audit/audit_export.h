// The audit trail as files for other systems (SPEC section 5): JSON lines, CSV, and OCSF
// 1.3 records for a SIEM. Every record keeps the event's place in its organization's hash
// chain (chain_index, prev_hash, hash), so an exported range verifies on its own: the
// first record's prev_hash is the hash before the range, and each next record must link
// to the one before (README, "Audit trail").
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "common/status.h"

namespace rampart {

enum class AuditExportFormat { kJsonLines, kCsv, kOcsf };

// "jsonl", "csv" or "ocsf"; kInvalidArgument on field `field` otherwise.
Result<AuditExportFormat> ParseAuditExportFormat(const std::string& text, const std::string& field);
std::string ContentType(AuditExportFormat format);

// What comes before the first record: the CSV header row, else nothing.
std::string ExportPreamble(AuditExportFormat format);
// One event as the format's records, each ended by a newline (CSV: CRLF).
std::string ExportRecord(AuditExportFormat format, const AuditEvent& event);

// OCSF classes used: API Activity for every request, User Management for changes of who
// holds a role and who is in a team.
inline constexpr int kOcsfApiActivity = 6003;
inline constexpr int kOcsfUserManagement = 3007;
inline constexpr char kOcsfVersion[] = "1.3.0";

// The event as OCSF records: one API Activity record, or one User Management record per
// principal whose roles or team memberships the event changed.
std::vector<nlohmann::json> ToOcsf(const AuditEvent& event);

}  // namespace rampart
