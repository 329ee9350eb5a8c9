#include "store/postgres/database_url.h"

#include <libpq-fe.h>

#include <map>
#include <regex>

namespace rampart::postgres {

std::string RedactUrl(const std::string& url) {
  // userinfo "user:password@" in a URI, and password=... in its query or a key=value string.
  static const std::regex kUserInfoPassword(R"(^([a-z]+://[^:/@?]*):[^@/?]*@)", std::regex::icase);
  static const std::regex kPasswordParameter(R"((password=)[^&\s]*)", std::regex::icase);
  std::string redacted = std::regex_replace(url, kUserInfoPassword, "$1:***@");
  return std::regex_replace(redacted, kPasswordParameter, "$1***");
}

std::string DescribeDatabase(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return RedactUrl(url);
  }
  std::map<std::string, std::string> values;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) values[option->keyword] = option->val;
  }
  PQconninfoFree(options);
  // libpq's defaults when the URL leaves them out.
  std::string host = values.count("host") ? values["host"] : "localhost";
  std::string port = values.count("port") ? values["port"] : "5432";
  std::string database = values.count("dbname") ? values["dbname"] : values.count("user") ? values["user"] : "";
  return host + ":" + port + "/" + database;
}

}  // namespace rampart::postgres
