// rampartd audit verify and export: check every organization's audit hash chain, or write one
// organization's trail as JSON lines, CSV or OCSF, straight from the data dir, so an
// auditor needs neither a running daemon nor anyone's token.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "audit/audit_export.h"
#include "cli/store_location.h"
#include "cli/flags.h"
#include "service/audit_log_service.h"

namespace rampart::cli {
namespace {

constexpr char kAuditUsage[] =
    "usage: rampartd audit verify (--data-dir DIR | --database-url URL)\n"
    "       rampartd audit export (--data-dir DIR | --database-url URL) --organization NAME\n"
    "                             [--format jsonl|csv|ocsf]\n"
    "                             [--since RFC3339] [--until RFC3339] [--action KIND.VERB,...]\n"
    "                             [--actor PRINCIPAL] [--out FILE]\n";

int FailAudit(const std::string& message) { return FailCommand("audit", message); }

// One line per organization; the broken ones name their first broken event.
int RunVerify(const std::vector<std::string>& args) {
  Result<Flags> flags = Flags::Parse(args, WithStoreFlags({}));
  if (!flags.ok()) return FailAudit(flags.status().message());
  Result<StoreLocation> location = StoreLocation::FromFlags(*flags);
  if (!location.ok()) return FailAudit(location.status().message());
  Result<OpenedStore> opened = OpenStore(*location, /*create_if_missing=*/false);
  if (!opened.ok()) return FailAudit(opened.status().message());
  Result<std::vector<ChainReport>> reports = AuditLogService::VerifyEveryChain(*opened->store);
  if (!reports.ok()) return FailAudit(reports.status().message());

  int64_t events = 0;
  int broken = 0;
  for (const ChainReport& report : *reports) {
    events += report.events;
    std::cout << "organization " << report.organization_id << ": " << report.events << " events";
    if (report.start_index > 0) {
      std::cout << " (from event " << report.start_index + 1 << "; older ones purged by retention)";
    }
    std::cout << ", head " << report.head_hash;
    if (report.broken) {
      ++broken;
      std::cout << ": BROKEN at event " << report.broken->event_id << " (sequence "
                << report.broken->sequence << ", position " << report.broken->chain_index
                << " of the chain): " << report.broken->reason;
    } else {
      std::cout << ": OK";
    }
    std::cout << "\n";
  }
  if (broken > 0) {
    std::cout << broken << " of " << reports->size() << " organizations' audit chains are broken\n";
    return 1;
  }
  std::cout << events << " events verified in " << reports->size()
            << (reports->size() == 1 ? " organization\n" : " organizations\n");
  return 0;
}

// The organization's events as JSON lines, CSV or OCSF, on stdout or into --out.
int RunExport(const std::vector<std::string>& args) {
  Result<Flags> flags =
      Flags::Parse(args, WithStoreFlags({"organization", "format", "since", "until", "action", "actor", "out"}));
  if (!flags.ok()) return FailAudit(flags.status().message() + "\n" + kAuditUsage);
  Result<StoreLocation> location = StoreLocation::FromFlags(*flags);
  if (!location.ok()) return FailAudit(location.status().message());
  Result<std::string> organization = flags->Require("organization");
  if (!organization.ok()) return FailAudit(organization.status().message());
  Result<AuditExportFormat> format = ParseAuditExportFormat(flags->Get("format").value_or("jsonl"), "format");
  if (!format.ok()) return FailAudit("--format " + format.status().message());
  AuditFilter filter;
  Result<std::optional<TimestampMs>> since = flags->GetTime("since");
  if (!since.ok()) return FailAudit(since.status().message());
  Result<std::optional<TimestampMs>> until = flags->GetTime("until");
  if (!until.ok()) return FailAudit(until.status().message());
  filter.since = *since;
  filter.until = *until;
  filter.actor = flags->Get("actor").value_or("");
  std::stringstream actions(flags->Get("action").value_or(""));
  for (std::string action; std::getline(actions, action, ',');) {
    if (!action.empty()) filter.actions.push_back(action);
  }

  Result<OpenedOrganization> opened = OpenOrganization(*location, *organization);
  if (!opened.ok()) return FailAudit(opened.status().message());

  std::ofstream file;
  const std::optional<std::string> out_path = flags->Get("out");
  if (out_path) {
    file.open(*out_path, std::ios::out | std::ios::trunc);
    if (!file) return FailAudit("--out " + *out_path + ": cannot create the file");
  }
  std::ostream& out = out_path ? static_cast<std::ostream&>(file) : std::cout;
  out << ExportPreamble(*format);
  int64_t events = 0;
  Status read = AuditLogService::ForEachEvent(*opened->store, opened->organization.meta.id, filter,
                                              [&](const AuditEvent& event) {
    out << ExportRecord(*format, event);
    ++events;
    return static_cast<bool>(out);
  });
  out.flush();
  if (!read.ok()) return FailAudit(read.message());
  if (!out) return FailAudit("writing the export failed (disk full?)");
  std::cerr << "exported " << events << " events of " << *organization << "\n";
  return 0;
}

}  // namespace

int RunAudit(const std::vector<std::string>& args) {
  if (args.empty()) return FailAudit(std::string("missing subcommand\n") + kAuditUsage);
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "verify") return RunVerify(rest);
  if (args[0] == "export") return RunExport(rest);
  return FailAudit("unknown subcommand \"" + args[0] + "\"\n" + kAuditUsage);
}

}  // namespace rampart::cli
