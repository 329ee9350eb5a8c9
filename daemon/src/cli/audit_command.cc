// rampartd audit verify: checks every organization's audit hash chain straight from the
// data dir, so an auditor needs neither a running daemon nor anyone's token.
#include <iostream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "service/audit_log_service.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart::cli {
namespace {

constexpr char kAuditUsage[] = "usage: rampartd audit verify --data-dir DIR\n";

int Fail(const std::string& message) {
  std::cerr << "rampartd audit: " << message << "\n";
  return 2;
}

// One line per organization; the broken ones name their first broken event.
int RunVerify(const std::vector<std::string>& args) {
  Result<Flags> flags = Flags::Parse(args, {"data-dir"});
  if (!flags.ok()) return Fail(flags.status().message());
  Result<std::string> data_dir = flags->Require("data-dir");
  if (!data_dir.ok()) return Fail(data_dir.status().message());
  Result<std::unique_ptr<sqlite::SqliteStore>> store =
      sqlite::SqliteStore::Open(*data_dir, /*create_if_missing=*/false);
  if (!store.ok()) return Fail(store.status().message());
  Result<std::vector<ChainReport>> reports = AuditLogService::VerifyEveryChain(**store);
  if (!reports.ok()) return Fail(reports.status().message());

  int64_t events = 0;
  int broken = 0;
  for (const ChainReport& report : *reports) {
    events += report.events;
    std::cout << "organization " << report.organization_id << ": " << report.events
              << " events, head " << report.head_hash;
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

}  // namespace

int RunAudit(const std::vector<std::string>& args) {
  if (args.empty()) return Fail(std::string("missing subcommand\n") + kAuditUsage);
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "verify") return RunVerify(rest);
  return Fail("unknown subcommand \"" + args[0] + "\"\n" + kAuditUsage);
}

}  // namespace rampart::cli
