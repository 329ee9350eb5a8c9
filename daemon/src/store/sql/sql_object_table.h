// SqlObjectTable<T>: ObjectTable<T> over one table per kind (Table<T> in table_traits.h),
// for any database behind an sql::Connection.
//
// Borrows the connection of the transaction that owns it; not thread-safe. The connection's
// exceptions propagate to the store running the transaction, which converts them.
#pragma once

#include <vector>

#include "store/sql/sql_connection.h"
#include "store/store.h"

namespace rampart::sql {

template <typename T>
class SqlObjectTable : public ObjectTable<T> {
 public:
  explicit SqlObjectTable(Connection& connection) : connection_(connection) {}

  Result<std::vector<T>> List(const std::string& organization_id, const std::string& parent_id,
                              const ListQuery& query) override;
  Result<T> GetById(const std::string& organization_id, const std::string& id) override;
  Result<T> GetByName(const std::string& organization_id, const std::string& parent_id,
                      const std::string& name) override;
  Status Insert(const T& object) override;
  Status Update(const T& object) override;
  Status Delete(const std::string& organization_id, const std::string& id) override;

 private:
  Connection& connection_;
};

// Every organization of the daemon, in (name, id) order.
std::vector<Organization> SelectAllOrganizations(Connection& connection);

}  // namespace rampart::sql
