#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "authz/indexing_store.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "model/validation.h"
#include "service/tenancy_service.h"
#include "cli/store_location.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart::cli {

int RunBootstrap(const std::vector<std::string>& args) {
  auto fail = [](const Status& status) {
    std::cerr << "rampartd bootstrap: " << status.message() << "\n";
    return 1;
  };
  Result<Flags> flags = Flags::Parse(args, WithStoreFlags({"organization"}));
  if (!flags.ok()) return fail(flags.status());
  Result<StoreLocation> location = StoreLocation::FromFlags(*flags);
  if (!location.ok()) return fail(location.status());
  Result<std::string> organization = flags->Require("organization");
  if (!organization.ok()) return fail(organization.status());
  // Checked before the store is opened, so a typo leaves no empty database behind.
  if (Status valid = ValidateName("--organization", *organization); !valid.ok()) return fail(valid);

  // A bootstrap that fails half-way (a full disk, say) removes the SQLite database it
  // created, so the next attempt starts clean instead of finding a data dir without an
  // organization. (On PostgreSQL the schema stays: it is empty, and migrations are safe to
  // find done.)
  const std::string database =
      location->data_dir.empty() ? "" : sqlite::SqliteStore::DatabasePath(location->data_dir);
  std::error_code error;
  const bool existed = database.empty() || std::filesystem::exists(database, error);
  auto fail_fresh = [&](const Status& status) {
    if (!existed) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(database + suffix, error);
    }
    return fail(status);
  };
  Result<CreatedOrganization> created = Status::Internal("not run");
  {
    Result<OpenedStore> opened = OpenStore(*location, /*create_if_missing=*/true);
    if (!opened.ok()) return fail_fresh(opened.status());
    // Through the change log, as serve writes: replicas already serving this database
    // (on an empty schema) index the new organization too.
    authz::AccessIndex index;
    authz::IndexingStore logged(*opened->store, index);
    if (Status loaded = logged.Load(); !loaded.ok()) return fail_fresh(loaded);
    SystemClock clock;
    TenancyService tenancy(logged, clock);
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
