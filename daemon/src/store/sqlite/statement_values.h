// Binding values to SQLiteCpp statements and reading them back, shared by the SQLite
// tables (object_tables.cc, sqlite_transaction.cc). Free functions over a statement the
// caller owns; they keep no state.
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rampart::sqlite {

// Text values for consecutive ? placeholders.
using Params = std::vector<std::string>;

// Binds `params` to consecutive placeholders starting at `first` (1-based).
void BindParams(SQLite::Statement& statement, const Params& params, int first = 1);

// Binds `value` to placeholder `index` (1-based), NULL when it has none.
void BindOptionalInt(SQLite::Statement& statement, int index, std::optional<int64_t> value);

// The column's integer, nullopt when it is NULL.
std::optional<int64_t> ReadOptionalInt(const SQLite::Column& column);

}  // namespace rampart::sqlite
