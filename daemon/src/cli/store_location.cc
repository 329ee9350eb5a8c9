#include "cli/store_location.h"

#include "store/postgres/database_url.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart::cli {

std::set<std::string> WithStoreFlags(std::set<std::string> flags) {
  flags.insert({"data-dir", "database-url"});
  return flags;
}

Result<StoreLocation> StoreLocation::FromFlags(const Flags& flags) {
  StoreLocation location;
  location.data_dir = flags.Get("data-dir").value_or("");
  location.database_url = flags.Get("database-url").value_or("");
  if (location.data_dir.empty() == location.database_url.empty()) {
    return Status::InvalidArgument(
        location.data_dir.empty() ? "--data-dir" : "--database-url",
        location.data_dir.empty()
            ? "is required: give --data-dir DIR (SQLite) or --database-url postgres://USER@HOST:PORT/DB"
            : "give either --data-dir (SQLite) or --database-url (PostgreSQL), not both",
        "required");
  }
  if (!location.database_url.empty() && location.database_url.rfind("postgres://", 0) != 0 &&
      location.database_url.rfind("postgresql://", 0) != 0) {
    return Status::InvalidArgument("--database-url",
                                   "must be a PostgreSQL URL, postgres://USER@HOST:PORT/DB (got \"" +
                                       postgres::RedactUrl(location.database_url) + "\")",
                                   "bad_url");
  }
  return location;
}

std::string StoreLocation::Describe() const {
  return data_dir.empty() ? postgres::RedactUrl(database_url) : data_dir;
}

Result<OpenedStore> OpenStore(const StoreLocation& location, bool create_if_missing, Durability durability) {
  if (!location.database_url.empty()) {
    RAMPART_ASSIGN_OR_RETURN(std::unique_ptr<postgres::PgStore> store,
                             postgres::PgStore::Open(location.database_url, create_if_missing));
    const int version = store->SchemaVersion();
    return OpenedStore{std::move(store), version};
  }
  RAMPART_ASSIGN_OR_RETURN(
      std::unique_ptr<sqlite::SqliteStore> store,
      sqlite::SqliteStore::Open(location.data_dir, create_if_missing,
                                durability == Durability::kFsync ? sqlite::SqliteStore::Durability::kFsync
                                                                 : sqlite::SqliteStore::Durability::kNoFsync));
  const int version = store->SchemaVersion();
  return OpenedStore{std::move(store), version};
}

Result<OpenedOrganization> OpenOrganization(const StoreLocation& location, const std::string& organization) {
  RAMPART_ASSIGN_OR_RETURN(OpenedStore opened, OpenStore(location, /*create_if_missing=*/false));
  std::optional<Organization> found;
  RAMPART_RETURN_IF_ERROR(opened.store->Read([&](StoreTransaction& t) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations, t.ListOrganizations());
    for (const Organization& o : organizations) {
      if (o.meta.name == organization || o.meta.id == organization) found = o;
    }
    return Status::Ok();
  }));
  if (!found) return Status::NotFound("no organization \"" + organization + "\" in " + location.Describe());
  return OpenedOrganization{std::move(opened.store), *found};
}

}  // namespace rampart::cli
