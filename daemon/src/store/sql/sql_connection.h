// The SQL a store runs, written once for every database: the object tables, API keys, audit
// trail and change log (store/sql) speak to a Connection, which SQLite (store/sqlite) and
// PostgreSQL (store/postgres) implement.
//
// Statements use SQLite's placeholders, `?` and `?N` (1-based), and only SQL both databases
// read the same way; what differs (JSON access) is a method. Implementations throw their
// database's exception on failure; the store that runs the transaction converts it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rampart::sql {

// A parameter or column value: NULL, an integer or text.
using Value = std::variant<std::monostate, int64_t, std::string>;
using Values = std::vector<Value>;

inline Value OptionalValue(std::optional<int64_t> value) {
  if (value) return *value;
  return std::monostate{};
}

// One result row; columns by 0-based position. Valid only inside the Query callback.
class Row {
 public:
  virtual ~Row() = default;
  virtual bool IsNull(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  std::optional<int64_t> OptionalInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }
};

// One database connection inside an open transaction, borrowed by the transaction's tables
// for its duration. Not thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs a query, calling `each` for every row in order.
  virtual void Query(const std::string& sql, const Values& params,
                     const std::function<void(const Row&)>& each) = 0;
  // Runs a statement; returns how many rows it changed.
  virtual int64_t Execute(const std::string& sql, const Values& params) = 0;
  // An SQL expression, with placeholders appended to `params`: the text at `key` of the JSON
  // object held (as text) in `column`, NULL when it has none.
  virtual std::string JsonTextAt(const std::string& column, const std::string& key, Values& params) = 0;
};

}  // namespace rampart::sql
