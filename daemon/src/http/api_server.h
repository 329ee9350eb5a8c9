// ApiServer: serves the route table over HTTP/1.1 (cpp-httplib).
//
// Per request: assigns a request id, authenticates routes that need it, dispatches through
// the RouteMatcher, maps errors with error_mapping, and writes one access-log line (never
// the token or the body). Run() blocks on the caller's thread; Stop() may be called from
// any other thread (never from a handler) at any time, also before Run() has started
// listening: it lets in-flight requests finish and answer, ends idle connections
// (GuardedServer), and returns once Run() has returned (at once when Run() never started).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "authz/indexing_store.h"
#include "service/authenticator.h"
#include "service/authorizer.h"
#include "http/tls_context.h"
#include "http/route.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace rampart::http {

class RateLimiter;

struct ServerOptions {
  size_t max_body_bytes = 1 << 20;
  // The request line and headers together; beyond, 431.
  size_t max_head_bytes = 64 * 1024;
  // A request's head and body must arrive within this; beyond, 408 and the connection ends.
  int request_read_timeout_seconds = 30;
  // Each write of an answer waits this long at most for a client that does not read.
  int write_timeout_seconds = 30;
  // Open connections, in all and from one client address; beyond, 503 with Retry-After at
  // once. Each admitted connection holds a worker thread while it stays open (a Terraform
  // apply opens about ten).
  size_t max_connections = 128;
  size_t max_connections_per_client = 32;
  // Requests on one keep-alive connection before the server closes it (the client reconnects):
  // high, so that checks do not pay a TCP handshake every few requests (httplib's default 5).
  size_t keep_alive_max_requests = 10000;
  // How long an idle keep-alive connection waits for its next request.
  int keep_alive_timeout_seconds = 5;
  // Authenticated requests per second each organization may make, with bursts of up to
  // `organization_burst`; beyond that, 429 with Retry-After. 0: no limit.
  double organization_requests_per_second = 0;
  double organization_burst = 0;
  // How long a request naming a Rampart-Min-Change-Number this replica has not applied yet
  // waits for it; beyond, 503 replica_behind.
  std::chrono::milliseconds max_change_wait{3000};
  // HTTPS with this certificate chain and key when set; plain HTTP otherwise.
  std::optional<TlsFiles> tls;
};

class ApiServer {
 public:
  // Every authenticated route is authorized by `authorizer` before its handler runs.
  // `changes` is the store the services write through: responses say which changes it has
  // applied, and requests may wait for a change (read-your-writes across replicas).
  ApiServer(std::vector<Route> routes, Authenticator& authenticator, const Authorizer& authorizer,
            authz::IndexingStore& changes, ServerOptions options = {});
  ~ApiServer();

  // Binds the listening socket; port 0 picks a free port. Returns the bound port, or an
  // error naming the address, or the TLS file at fault.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(). Returns true when it ended because of Stop(), false when
  // accepting connections failed. REQUIRES: Bind() succeeded.
  bool Run();
  void Stop();

 private:
  void Dispatch(const httplib::Request& request, httplib::Response& response);
  // Waits for the change a Rampart-Min-Change-Number header names (its raw value).
  Status AwaitMinChange(const std::string& value);

  RouteMatcher matcher_;
  Authenticator& authenticator_;
  const Authorizer& authorizer_;
  authz::IndexingStore& changes_;
  const ServerOptions options_;
  std::unique_ptr<RateLimiter> rate_limiter_;  // null when there is no limit
  std::unique_ptr<httplib::Server> server_;
  Status tls_status_;  // why the TLS files could not be used, reported by Bind()
  // httplib ignores stop() until it is listening; these close that window.
  std::atomic<bool> run_started_{false};
  std::atomic<bool> run_finished_{false};
  std::atomic<bool> stop_requested_{false};
  int bound_port_ = 0;  // set by Bind
};

}  // namespace rampart::http
