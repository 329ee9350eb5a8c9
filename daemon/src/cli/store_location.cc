#include "cli/data_dir.h"

namespace rampart::cli {

Result<OpenedOrganization> OpenOrganization(const std::string& data_dir, const std::string& organization) {
  RAMPART_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteStore> store,
                           sqlite::SqliteStore::Open(data_dir, /*create_if_missing=*/false));
  std::optional<Organization> found;
  RAMPART_RETURN_IF_ERROR(store->Read([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations, t.ListOrganizations());
    for (const Organization& o : organizations) {
      if (o.meta.name == organization || o.meta.id == organization) found = o;
    }
    return Status::Ok();
  }));
  if (!found) return Status::NotFound("no organization \"" + organization + "\" in " + data_dir);
  return OpenedOrganization{std::move(store), *found};
}

}  // namespace rampart::cli
