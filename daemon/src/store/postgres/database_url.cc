#include "store/postgres/database_url.h"

#include <libpq-fe.h>

#include <map>
#include <regex>

namespace rampart::postgres {

std::string RedactUrl(const std::string& url) {
  std::string redacted = url;
  // A URI's userinfo, "user:password@": the password runs from the first ':' to the last
  // '@', whatever it holds ('/', '?', '@' included). Hiding too much beats showing any.
  const size_t scheme_end = url.find("://");
  const size_t at = url.rfind('@');
  if (scheme_end != std::string::npos && at != std::string::npos && at > scheme_end + 3) {
    const size_t colon = url.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at) redacted = url.substr(0, colon) + ":***" + url.substr(at);
  }
  // password=... in a URI's query or a key=value string, quoted or not.
  static const std::regex kPasswordParameter(R"((password\s*=\s*)('([^'\\]|\\.)*'?|[^&\s]*))", std::regex::icase);
  return std::regex_replace(redacted, kPasswordParameter, "$1***");
}

std::string DescribeDatabase(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return "an unparseable database URL";
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
