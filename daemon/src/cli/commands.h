// The rampartd subcommands. Each takes the arguments after its name and returns the
// process exit code; output for machines goes to stdout, diagnostics to stderr.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rampart::cli {

// Every subcommand below that takes --data-dir DIR (SQLite) takes --database-url URL
// (PostgreSQL) instead, as cli/store_location.h says.

// rampartd bootstrap --data-dir DIR --organization NAME
int RunBootstrap(const std::vector<std::string>& args);
// rampartd serve --data-dir DIR [--listen HOST:PORT]
int RunServe(const std::vector<std::string>& args);
// rampartd audit verify --data-dir DIR: exit 0 when every organization's audit chain holds
// (printing the event count), 1 naming the first broken event of each broken chain.
int RunAudit(const std::vector<std::string>& args);
// rampartd check --data-dir DIR --organization NAME --principal P --permission X --resource R
// [--at T]: prints POST /v1/check's answer; exit 0 allowed, 1 denied, 2 on bad input.
int RunCheck(const std::vector<std::string>& args);
// rampartd export-state --data-dir DIR --organization NAME (--out OUTDIR | --compare TFSTATE):
// Terraform import blocks and resources for every object, or how a state differs (exit 1).
int RunExportState(const std::vector<std::string>& args);

// Says why `command` could not run (bad flags or input, an unusable data dir): prints
// "rampartd COMMAND: MESSAGE" to stderr and returns 2, the exit code for that.
int FailCommand(std::string_view command, const std::string& message);

}  // namespace rampart::cli
