// What may be said about a PostgreSQL URL in messages and logs: never its password.
#pragma once

#include <string>

namespace rampart::postgres {

// `url` with any password (postgres://user:SECRET@host/db, ?password=SECRET) replaced by ***.
std::string RedactUrl(const std::string& url);

// "host:port/database" of a libpq URL or connection string, for messages; a phrase saying
// so (never the text itself, which may hold a password) when libpq cannot parse it.
std::string DescribeDatabase(const std::string& url);

}  // namespace rampart::postgres
