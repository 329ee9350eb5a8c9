#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "model/validation.h"
#include "service/tenancy_service.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart::cli {

int RunBootstrap(const std::vector<std::string>& args) {
  auto fail = [](const Status& status) {
    std::cerr << "rampartd bootstrap: " << status.message() << "\n";
    return 1;
  };
  Result<Flags> flags = Flags::Parse(args, {"data-dir", "organization"});
  if (!flags.ok()) return fail(flags.status());
  Result<std::string> data_dir = flags->Require("data-dir");
  if (!data_dir.ok()) return fail(data_dir.status());
  Result<std::string> organization = flags->Require("organization");
  if (!organization.ok()) return fail(organization.status());
  // Checked before the store is opened, so a typo leaves no empty database behind.
  if (Status valid = ValidateName("--organization", *organization); !valid.ok()) return fail(valid);

  // A bootstrap that fails half-way (a full disk, say) removes the database it created, so
  // the next attempt starts clean instead of finding a data dir without an organization.
  const std::string database = sqlite::SqliteStore::DatabasePath(*data_dir);
  std::error_code error;
  const bool existed = std::filesystem::exists(database, error);
  auto fail_fresh = [&](const Status& status) {
    if (!existed) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(database + suffix, error);
    }
    return fail(status);
  };
  Result<CreatedOrganization> created = Status::Internal("not run");
  {
    Result<std::unique_ptr<sqlite::SqliteStore>> store =
        sqlite::SqliteStore::Open(*data_dir, /*create_if_missing=*/true);
    if (!store.ok()) return fail_fresh(store.status());
    SystemClock clock;
    TenancyService tenancy(**store, clock);
    created = tenancy.Bootstrap(*organization);
  }  // the database is closed before any cleanup
  if (!created.ok()) return fail_fresh(created.status());

  nlohmann::json output = {
      {"organization_id", created->organization.meta.id},
      {"organization", created->organization.meta.name},
      {"key_id", created->key_id},
      {"token", created->token},
  };
  std::cout << output.dump() << std::endl;
  return 0;
}

}  // namespace rampart::cli
