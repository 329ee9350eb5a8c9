#include "store/sqlite/statement_values.h"

namespace rampart::sqlite {

void BindParams(SQLite::Statement& statement, const Params& params, int first) {
  int index = first;
  for (const std::string& param : params) statement.bind(index++, param);
}

void BindOptionalInt(SQLite::Statement& statement, int index, std::optional<int64_t> value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

std::optional<int64_t> ReadOptionalInt(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

}  // namespace rampart::sqlite
