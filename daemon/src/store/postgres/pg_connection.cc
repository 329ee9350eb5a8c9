#include "store/postgres/pg_connection.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace rampart::postgres {
namespace {

constexpr Oid kInt8Oid = 20;  // pg_type.oid of bigint
constexpr Oid kTextOid = 25;  // pg_type.oid of text

// libpq's message on one line (it wraps hints onto indented lines), for Status and logs.
std::string OneLine(const char* message) {
  std::string text;
  for (const char* c = message == nullptr ? "" : message; *c != '\0'; ++c) {
    if (*c == '\n' || *c == '\t') {
      if (!text.empty() && text.back() != ' ') text += ' ';
    } else {
      text += *c;
    }
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Server notices (NOTICE: relation already exists, the FATAL of a shutdown arriving between
// queries) would go to stderr; failures reach us as results anyway.
void IgnoreNotice(void*, const char*) {}

bool IsConnectionLoss(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

class ResultRow final : public sql::Row {
 public:
  ResultRow(const PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  std::string Text(int column) const override {
    return std::string(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
  }
  int64_t Int(int column) const override { return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10); }

 private:
  const PGresult* result_;
  int row_;
};

}  // namespace

std::string ToPostgresPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  char quote = 0;  // the quote we are inside of, if any
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      size_t end = i + 1;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
      int number = end > i + 1 ? std::atoi(sql.substr(i + 1, end - i - 1).c_str()) : highest + 1;
      highest = std::max(highest, number);
      out += "$" + std::to_string(number);
      i = end - 1;
    } else {
      out += c;
    }
  }
  return out;
}

std::unique_ptr<PgConnection> PgConnection::Connect(const std::string& url) {
  // Defaults first: keywords are processed in order and the URL (expanded from dbname)
  // overrides them. Keepalives and tcp_user_timeout notice a peer that vanished without
  // closing the socket, within seconds rather than the kernel's minutes. On the server: a
  // writer waits at most 15 s for the writers' lock (then 503, retryable), and a session
  // left idle inside a transaction (a frozen replica holding that lock) ends after 60 s.
  const char* keywords[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout", "options", "application_name", "dbname",
                            nullptr};
  const char* values[] = {"5",
                          "1",
                          "10",
                          "5",
                          "3",
                          "15000",
                          "-c lock_timeout=15000 -c idle_in_transaction_session_timeout=60000",
                          "rampartd",
                          url.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) throw PgError("out of memory", "", "", true);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    throw PgError(reason, "", "", true);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Rollback() {
  if (!Usable()) return false;
  try {
    Exec("ROLLBACK");
    return true;
  } catch (const PgError&) {
    return false;
  }
}

std::string PgConnection::ErrorMessage() const { return OneLine(PQerrorMessage(conn_)); }

std::unique_ptr<PGresult, void (*)(PGresult*)> PgConnection::Check(PGresult* raw_result) {
  std::unique_ptr<PGresult, void (*)(PGresult*)> result(raw_result, PQclear);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  auto field = [&](int code) {
    const char* value = result ? PQresultErrorField(result.get(), code) : nullptr;
    return std::string(value == nullptr ? "" : value);
  };
  std::string sqlstate = field(PG_DIAG_SQLSTATE);
  std::string message = result ? OneLine(PQresultErrorMessage(result.get())) : "";
  if (message.empty()) message = OneLine(PQerrorMessage(conn_));
  bool lost = !Usable() || IsConnectionLoss(sqlstate);
  throw PgError(message, sqlstate, field(PG_DIAG_CONSTRAINT_NAME), lost);
}

std::string PgConnection::Exec(const std::string& sql) {
  auto result = Check(PQexec(conn_, sql.c_str()));
  return PQcmdStatus(result.get());
}

void PgConnection::Query(const std::string& sql, const sql::Values& params,
                         const std::function<void(const sql::Row&)>& each) {
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<Oid> types(params.size(), 0);  // 0: let the server infer (NULLs)
  for (size_t i = 0; i < params.size(); ++i) {
    if (const auto* number = std::get_if<int64_t>(&params[i])) {
      texts[i] = std::to_string(*number);
      types[i] = kInt8Oid;
      values[i] = texts[i].c_str();
    } else if (const auto* text = std::get_if<std::string>(&params[i])) {
      // libpq takes C strings: a NUL would cut the value short (the HTTP layer refuses it).
      if (text->find('\0') != std::string::npos) throw PgError("a text value holds a NUL character", "22021", "", false);
      types[i] = kTextOid;
      values[i] = text->c_str();
    }
  }
  auto result = Check(PQexecParams(conn_, ToPostgresPlaceholders(sql).c_str(), static_cast<int>(params.size()),
                                   types.data(), values.data(), nullptr, nullptr, /*resultFormat=*/0));
  for (int row = 0; row < PQntuples(result.get()); ++row) each(ResultRow(result.get(), row));
  last_changed_ = std::atoll(PQcmdTuples(result.get()));
}

int64_t PgConnection::Execute(const std::string& sql, const sql::Values& params) {
  Query(sql, params, [](const sql::Row&) {});
  return last_changed_;
}

std::string PgConnection::JsonTextAt(const std::string& column, const std::string& key, sql::Values& params) {
  params.push_back(key);
  return "(" + column + "::jsonb ->> ?)";
}

}  // namespace rampart::postgres
