#include "store/sql/sql_object_table.h"

#include "store/sql/table_traits.h"

namespace rampart::sql {
namespace {

// The table's columns in value order: meta columns, then the kind's own.
template <typename T>
std::vector<std::string> Columns() {
  std::vector<std::string> columns(kMetaColumns.begin(), kMetaColumns.end());
  columns.insert(columns.end(), Table<T>::kExtraColumns.begin(), Table<T>::kExtraColumns.end());
  return columns;
}

template <typename T>
Values RowValues(const T& object) {
  Values values = MetaValues(object.meta);
  Values extra = Table<T>::ExtraValues(object);
  values.insert(values.end(), extra.begin(), extra.end());
  return values;
}

// Joins `columns`, each formatted by `format(column, 1-based position)`.
template <typename Format>
std::string JoinColumns(const std::vector<std::string>& columns, Format format) {
  std::string joined;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) joined += ", ";
    joined += format(columns[i], i + 1);
  }
  return joined;
}

template <typename T>
std::string ColumnList() {
  return JoinColumns(Columns<T>(), [](const std::string& column, size_t) { return column; });
}

// Rows of T matching `where` (a SQL condition with ? placeholders), ordered by (name, id),
// at most `limit` of them (0: all).
template <typename T>
std::vector<T> SelectMany(Connection& connection, const std::string& where, const Values& params,
                          size_t limit = 0) {
  std::string sql = "SELECT " + ColumnList<T>() + " FROM " + Table<T>::kName + " WHERE " + where +
                    " ORDER BY name, id";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  std::vector<T> rows;
  connection.Query(sql, params, [&](const Row& row) { rows.push_back(Table<T>::FromRow(row)); });
  return rows;
}

template <typename T>
Result<T> SelectOne(Connection& connection, const std::string& where, const Values& params,
                    const std::string& ref) {
  std::vector<T> rows = SelectMany<T>(connection, where, params, 1);
  if (rows.empty()) return Status::NotFound(std::string(Table<T>::kKind) + " " + ref + " not found");
  return rows.front();
}

// "organization_id = ?" plus the parent condition for nested kinds.
template <typename T>
std::string ScopeCondition(const std::string& organization_id, const std::string& parent_id,
                           Values& params) {
  params.push_back(organization_id);
  if (Table<T>::kParentColumn == nullptr) return "organization_id = ?";
  params.push_back(parent_id);
  return std::string("organization_id = ? AND ") + Table<T>::kParentColumn + " = ?";
}

// Adds the conditions of `query` to `where` and `params`.
void AddListConditions(Connection& connection, const ListQuery& query, std::string& where,
                       Values& params) {
  if (!query.name_prefix.empty()) {
    // Not LIKE: prefixes may hold '_' and '%' (emails), which must match literally.
    where += " AND substr(name, 1, length(?)) = ?";
    params.push_back(query.name_prefix);
    params.push_back(query.name_prefix);
  }
  for (const auto& [key, value] : query.labels) {
    where += " AND " + connection.JsonTextAt("labels", key, params) + " = ?";
    params.push_back(value);
  }
  if (!query.ids.empty()) {
    where += " AND id IN (";
    for (size_t i = 0; i < query.ids.size(); ++i) {
      where += i == 0 ? "?" : ", ?";
      params.push_back(query.ids[i]);
    }
    where += ")";
  }
  if (query.after_name) {
    where += " AND (name > ? OR (name = ? AND id > ?))";
    params.push_back(*query.after_name);
    params.push_back(*query.after_name);
    params.push_back(query.after_id);
  }
}

}  // namespace

template <typename T>
Result<std::vector<T>> SqlObjectTable<T>::List(const std::string& organization_id,
                                               const std::string& parent_id, const ListQuery& query) {
  Values params;
  std::string where = ScopeCondition<T>(organization_id, parent_id, params);
  AddListConditions(connection_, query, where, params);
  return SelectMany<T>(connection_, where, params, query.limit);
}

template <typename T>
Result<T> SqlObjectTable<T>::GetById(const std::string& organization_id, const std::string& id) {
  return SelectOne<T>(connection_, "organization_id = ? AND id = ?", {organization_id, id}, id);
}

template <typename T>
Result<T> SqlObjectTable<T>::GetByName(const std::string& organization_id, const std::string& parent_id,
                                       const std::string& name) {
  Values params;
  std::string where = ScopeCondition<T>(organization_id, parent_id, params) + " AND name = ?";
  params.push_back(name);
  return SelectOne<T>(connection_, where, params, name);
}

template <typename T>
Status SqlObjectTable<T>::Insert(const T& object) {
  std::string placeholders = JoinColumns(
      Columns<T>(), [](const std::string&, size_t position) { return "?" + std::to_string(position); });
  connection_.Execute(std::string("INSERT INTO ") + Table<T>::kName + " (" + ColumnList<T>() +
                          ") VALUES (" + placeholders + ")",
                      RowValues(object));
  return Status::Ok();
}

// Rewrites every column of the row with object.meta.id (bound as ?1) in
// object.meta.organization_id (?2): never a row of another organization.
template <typename T>
Status SqlObjectTable<T>::Update(const T& object) {
  std::string assignments = JoinColumns(Columns<T>(), [](const std::string& column, size_t position) {
    return column + " = ?" + std::to_string(position);
  });
  int64_t changed = connection_.Execute(std::string("UPDATE ") + Table<T>::kName + " SET " + assignments +
                                            " WHERE id = ?1 AND organization_id = ?2",
                                        RowValues(object));
  if (changed != 1) {
    return Status::NotFound(std::string(Table<T>::kKind) + " " + object.meta.id + " not found");
  }
  return Status::Ok();
}

template <typename T>
Status SqlObjectTable<T>::Delete(const std::string& organization_id, const std::string& id) {
  int64_t changed = connection_.Execute(
      std::string("DELETE FROM ") + Table<T>::kName + " WHERE organization_id = ? AND id = ?",
      {organization_id, id});
  if (changed != 1) return Status::NotFound(std::string(Table<T>::kKind) + " " + id + " not found");
  return Status::Ok();
}

std::vector<Organization> SelectAllOrganizations(Connection& connection) {
  return SelectMany<Organization>(connection, "1 = 1", {});
}

template class SqlObjectTable<Organization>;
template class SqlObjectTable<Workspace>;
template class SqlObjectTable<Project>;
template class SqlObjectTable<User>;
template class SqlObjectTable<ServiceAccount>;
template class SqlObjectTable<Team>;
template class SqlObjectTable<StackComponent>;
template class SqlObjectTable<Stack>;
template class SqlObjectTable<ProjectStack>;
template class SqlObjectTable<Role>;
template class SqlObjectTable<RoleAssignment>;
template class SqlObjectTable<Model>;
template class SqlObjectTable<ModelVersion>;
template class SqlObjectTable<PromotionPolicy>;
template class SqlObjectTable<PromotionRequest>;

}  // namespace rampart::sql
