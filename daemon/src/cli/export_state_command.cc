// rampartd export-state: the organization's objects as Terraform configuration (import {}
// blocks and resources), or, with --compare, how a Terraform state differs from them. Reads
// the data dir directly, like `audit verify`, so it works with the daemon running or not.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "state_export/state_compare.h"
#include "state_export/terraform_files.h"
#include "cli/store_location.h"

namespace rampart::cli {
namespace {

constexpr char kExportStateUsage[] =
    "usage: rampartd export-state (--data-dir DIR | --database-url URL) --organization NAME\n"
    "                             [--workspace NAME]\n"
    "                             (--out OUTDIR | --compare TFSTATE)\n";

int FailExportState(const std::string& message) { return FailCommand("export-state", message); }

// Writes the files into `out_dir`, which must be empty or not exist yet: the output is a
// whole configuration, and mixing it with other .tf files would double-declare resources.
int WriteFiles(const state_export::StateExport& exported, const std::string& out_dir, TimestampMs now) {
  std::error_code error;
  if (std::filesystem::exists(out_dir, error) && !std::filesystem::is_empty(out_dir, error)) {
    return FailExportState("--out " + out_dir + " is not empty; give a new or empty directory");
  }
  std::filesystem::create_directories(out_dir, error);
  if (error) return FailExportState("--out " + out_dir + ": " + error.message());
  for (const auto& [name, content] : state_export::RenderTerraformFiles(exported, now)) {
    const std::filesystem::path path = std::filesystem::path(out_dir) / name;
    std::ofstream file(path);
    file << content;
    file.close();
    if (!file) return FailExportState("cannot write " + path.string());
  }
  std::cout << "wrote " << exported.objects.size() << " resources with their import blocks to " << out_dir
            << "\n";
  for (const std::string& line : exported.omitted) std::cout << "not exported: " << line << "\n";
  return 0;
}

// Exit 0 when the state matches rampartd, 1 listing each difference otherwise.
int Compare(const state_export::StateExport& exported, const std::string& state_path) {
  std::ifstream file(state_path);
  if (!file) return FailExportState("--compare " + state_path + ": cannot read the file");
  nlohmann::json state = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (state.is_discarded()) return FailExportState("--compare " + state_path + ": not JSON");
  Result<std::vector<state_export::StateDifference>> differences = state_export::CompareWithState(exported, state);
  if (!differences.ok()) return FailExportState("--compare " + state_path + ": " + differences.status().message());
  for (const auto& difference : *differences) std::cout << difference.Describe() << "\n";
  if (!differences->empty()) {
    std::cout << differences->size() << " differences between rampartd and " << state_path << "\n";
    return 1;
  }
  std::cout << "the state matches rampartd: " << exported.objects.size() << " objects\n";
  return 0;
}

}  // namespace

int RunExportState(const std::vector<std::string>& args) {
  Result<Flags> flags = Flags::Parse(args, WithStoreFlags({"organization", "workspace", "out", "compare"}));
  if (!flags.ok()) return FailExportState(flags.status().message() + "\n" + kExportStateUsage);
  Result<StoreLocation> location = StoreLocation::FromFlags(*flags);
  if (!location.ok()) return FailExportState(location.status().message() + "\n" + kExportStateUsage);
  Result<std::string> organization = flags->Require("organization");
  if (!organization.ok()) return FailExportState(organization.status().message() + "\n" + kExportStateUsage);
  const std::optional<std::string> out_dir = flags->Get("out");
  const std::optional<std::string> state_path = flags->Get("compare");
  if (out_dir.has_value() == state_path.has_value()) {
    return FailExportState(std::string("give exactly one of --out and --compare\n") + kExportStateUsage);
  }

  Result<OpenedStore> opened = OpenStore(*location, /*create_if_missing=*/false);
  if (!opened.ok()) return FailExportState(opened.status().message());
  const TimestampMs now = SystemClock().Now();
  state_export::StateExport exported;
  Status read = opened->store->Read([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(exported, state_export::CollectObjects(t, *organization,
                                                                    flags->Get("workspace").value_or(""), now));
    return Status::Ok();
  });
  if (!read.ok()) return FailExportState(read.message());
  return out_dir ? WriteFiles(exported, *out_dir, now) : Compare(exported, *state_path);
}

}  // namespace rampart::cli
