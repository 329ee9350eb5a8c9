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

  Result<std::unique_ptr<sqlite::SqliteStore>> store =
      sqlite::SqliteStore::Open(*data_dir, /*create_if_missing=*/true);
  if (!store.ok()) return fail(store.status());
  SystemClock clock;
  TenancyService tenancy(**store, clock);
  Result<CreatedOrganization> created = tenancy.Bootstrap(*organization);
  if (!created.ok()) return fail(created.status());

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
