// ApiServerFixture: TenancyFixture plus the real ApiServer on an ephemeral loopback port,
// and an HTTP client holding the admin token. Base for the HTTP tests.
#pragma once

#include <httplib.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http/api_server.h"
#include "service/authenticator.h"
#include "support/tenancy_fixture.h"

namespace rampart::testing {

class ApiServerFixture : public TenancyFixture {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Stops the server and serves the same store again with other options.
  void RestartServer(const http::ServerOptions& options);

  // Sends with the admin token. The response, or a failed test and status -1 when there
  // was none.
  httplib::Response Send(const std::string& method, const std::string& path,
                         const std::string& body = "", httplib::Headers headers = {});

  // The same, with `token` instead of the admin's.
  httplib::Response SendAs(const std::string& token, const std::string& method,
                           const std::string& path, const std::string& body = "",
                           httplib::Headers headers = {});
  // Creates the user `email` and a key of its own (as the admin); returns the key's token.
  std::string UserWithKey(const std::string& email);

  // Asserts the error shape (code, message, details.field or none) and returns the body.
  nlohmann::json ExpectError(const httplib::Result& result, int status, const std::string& code,
                             const std::string& field);
  nlohmann::json ExpectError(const httplib::Response& response, int status,
                             const std::string& code, const std::string& field);

  size_t WorkspaceCount();

 private:
  void StartServer(const http::ServerOptions& options);

 protected:

  // Assigns `role` at the organization to the principal `field` ("user_id", "team_id",
  // "service_account_id") names, as the admin; fails the test unless it is created.
  void GrantInOrganization(const std::string& role, const std::string& field,
                           const std::string& principal);

  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<http::ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::thread serving_;
  int port_ = 0;
};

}  // namespace rampart::testing
