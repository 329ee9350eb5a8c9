// SqliteObjectTable<T>: ObjectTable<T> over one table per kind. Every named object table
// has the ObjectMeta columns, then the kind's own (see the Table<T> traits in
// object_tables.cc, which also hold the explicit instantiations for every kind).
//
// Borrows the connection of the SqliteTransaction that owns it; not thread-safe. SQLiteCpp
// exceptions propagate to SqliteStore::Run, which converts them.
#pragma once

#include <SQLiteCpp/Database.h>

#include "store/store.h"

namespace rampart::sqlite {

template <typename T>
class SqliteObjectTable final : public ObjectTable<T> {
 public:
  explicit SqliteObjectTable(SQLite::Database& db) : db_(db) {}

  Result<std::vector<T>> List(const std::string& organization_id, const std::string& parent_id,
                              const ListQuery& query) override;
  Result<T> GetById(const std::string& organization_id, const std::string& id) override;
  Result<T> GetByName(const std::string& organization_id, const std::string& parent_id,
                      const std::string& name) override;
  Status Insert(const T& object) override;
  Status Update(const T& object) override;
  Status Delete(const std::string& organization_id, const std::string& id) override;

 private:
  SQLite::Database& db_;
};

// Every organization of the daemon, in (name, id) order.
std::vector<Organization> SelectAllOrganizations(SQLite::Database& db);

}  // namespace rampart::sqlite
