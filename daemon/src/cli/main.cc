// rampartd: the Rampart daemon. One binary, one subcommand per operation (SPEC section 8).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: rampartd <command> [flags]\n"
    "\n"
    "commands:\n"
    "  bootstrap --data-dir DIR --organization NAME\n"
    "      create the first organization and its admin API key; prints JSON with\n"
    "      organization_id and token (shown once)\n"
    "  serve --data-dir DIR [--listen HOST:PORT]\n"
    "      serve the REST API (default listen 127.0.0.1:8080); SIGTERM stops gracefully\n"
    "      [--organization-rate-limit N]: at most N requests/s per organization (bursts of\n"
    "      2N), then 429 with Retry-After; 0 or absent: no limit\n"
    "      [--fsync always|never]: never skips waiting for the disk on each commit (faster;\n"
    "      a power cut can lose acknowledged writes): throwaway environments only\n"
    "      [--tls-cert FILE --tls-key FILE]: serve HTTPS (TLS 1.2+) with this PEM\n"
    "      certificate chain and unencrypted PEM key\n"
    "      [--max-connections N] [--max-connections-per-client N]: open connections in\n"
    "      all (default 128) and from one address (default 32); beyond, 503 at once\n"
    "      [--max-change-wait-ms N]: how long a request with Rampart-Min-Change-Number\n"
    "      waits for this replica to apply that change (default 3000), then 503\n"
    "  check --data-dir DIR --organization NAME --principal P --permission X --resource R\n"
    "        [--at T]\n"
    "      may P do X on R (now, or at the past instant T)? JSON as POST /v1/check gives;\n"
    "      exit 0 allowed, 1 denied\n"
    "  audit verify --data-dir DIR\n"
    "      check every organization's audit hash chain; exit 1 naming the first broken event\n"
    "  audit export --data-dir DIR --organization NAME [--format jsonl|csv|ocsf] [--since T]\n"
    "               [--until T] [--action KIND.VERB,...] [--actor PRINCIPAL] [--out FILE]\n"
    "      write the organization's audit events, oldest first, with their chain hashes\n"
    "  export-state --data-dir DIR --organization NAME [--workspace NAME] --out OUTDIR\n"
    "      write Terraform import {} blocks and resources for every object, so that\n"
    "      `terraform apply` brings them under Terraform without changing them\n"
    "  export-state --data-dir DIR --organization NAME --compare TFSTATE\n"
    "      list objects missing from a Terraform state and arguments that differ (exit 1)\n"
    "\n"
    "Every --data-dir DIR may be --database-url postgres://USER@HOST:PORT/DB instead: the\n"
    "PostgreSQL store, which several `serve` replicas share (bootstrap it once).\n"
    "Every flag can also come from the environment as RAMPART_<FLAG>, e.g. RAMPART_DATA_DIR.\n";

}  // namespace

int main(int argc, char** argv) {
  // Logs go to stderr so that stdout carries only command output (bootstrap's JSON).
  auto logger = spdlog::stderr_color_mt("rampartd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l [%n] %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);

  // The data dir holds key hashes and the audit trail: nothing rampartd creates is for
  // other users of the machine.
  umask(0077);

  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "bootstrap") return rampart::cli::RunBootstrap(args);
  if (command == "serve") return rampart::cli::RunServe(args);
  if (command == "audit") return rampart::cli::RunAudit(args);
  if (command == "check") return rampart::cli::RunCheck(args);
  if (command == "export-state") return rampart::cli::RunExportState(args);
  std::cerr << "rampartd: unknown command \"" << command << "\"\n\n" << kUsage;
  return 2;
}
