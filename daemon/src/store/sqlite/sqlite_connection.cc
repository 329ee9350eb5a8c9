#include "store/sqlite/sqlite_connection.h"

#include <SQLiteCpp/Statement.h>

namespace rampart::sqlite {
namespace {

void BindValues(SQLite::Statement& statement, const sql::Values& params) {
  int index = 1;
  for (const sql::Value& value : params) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      statement.bind(index, *number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      statement.bind(index, *text);
    } else {
      statement.bind(index);  // NULL
    }
    ++index;
  }
}

class StatementRow final : public sql::Row {
 public:
  explicit StatementRow(SQLite::Statement& statement) : statement_(statement) {}
  bool IsNull(int column) const override { return statement_.getColumn(column).isNull(); }
  std::string Text(int column) const override { return statement_.getColumn(column).getString(); }
  int64_t Int(int column) const override { return statement_.getColumn(column).getInt64(); }

 private:
  SQLite::Statement& statement_;
};

}  // namespace

void SqliteConnection::Query(const std::string& sql, const sql::Values& params,
                             const std::function<void(const sql::Row&)>& each) {
  SQLite::Statement statement(db_, sql);
  BindValues(statement, params);
  StatementRow row(statement);
  while (statement.executeStep()) each(row);
}

int64_t SqliteConnection::Execute(const std::string& sql, const sql::Values& params) {
  SQLite::Statement statement(db_, sql);
  BindValues(statement, params);
  return statement.exec();
}

std::string SqliteConnection::JsonTextAt(const std::string& column, const std::string& key,
                                         sql::Values& params) {
  params.push_back("$.\"" + key + "\"");
  return "json_extract(" + column + ", ?)";
}

}  // namespace rampart::sqlite
