#include "http/api_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>
#include <thread>

#include "common/logging.h"
#include "common/random.h"
#include "common/utf8.h"
#include "http/error_mapping.h"
#include "http/guarded_server.h"
#include "http/limited_stream.h"
#include "http/rate_limiter.h"
#include "service/idempotency.h"

namespace rampart::http {
namespace {

std::shared_ptr<spdlog::logger> Logger() {
  static const auto logger = NamedLogger("http");
  return logger;
}

// A client-supplied X-Request-Id is kept when it is short and plain, so it can be traced
// through logs and audit events; anything else is replaced.
std::string RequestIdFor(const httplib::Request& request) {
  std::string given = request.get_header_value("X-Request-Id");
  bool usable = !given.empty() && given.size() <= 128;
  for (char c : given) {
    usable = usable && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                        c == '.');
  }
  return usable ? given : "req_" + RandomHex(12);
}

// Error messages may quote request bytes (a path, a header) that are not UTF-8; those are
// replaced rather than allowed to abort the response.
std::string Serialize(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void WriteJson(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(Serialize(body), "application/json");
}

bool EncodesSlash(const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  for (size_t i = 0; i + 2 < path.size(); ++i) {
    if (path[i] == '%' && path[i + 1] == '2' && (path[i + 2] == 'F' || path[i + 2] == 'f')) {
      return true;
    }
  }
  return false;
}

constexpr int kStorageRetryAfterSeconds = 5;

// Read-your-writes across replicas: every response says which changes its replica had
// applied; a request naming one waits until its replica has applied it too.
constexpr char kChangeHeader[] = "Rampart-Change-Number";
constexpr char kMinChangeHeader[] = "Rampart-Min-Change-Number";

// What an answer the library made itself (not a handler) stands for. A limit of
// GuardedServer that ended the request decides the status first.
Status LibraryError(httplib::Response& response) {
  switch (CurrentRequestFailure()) {
    case LimitedStream::Failure::kHeadTooLarge:
      response.status = 431;
      return Status::Error(StatusCode::kPayloadTooLarge, "headers: larger than the server's limit", "headers",
                           "too_large");
    case LimitedStream::Failure::kRequestTooLarge:
      response.status = 413;
      break;
    case LimitedStream::Failure::kTooSlow:
      if (response.status == 413) break;  // a declared body too large: that is the answer
      response.status = 408;
      return Status::Error(StatusCode::kInvalidArgument, "request: not received in time", "", "too_slow");
    case LimitedStream::Failure::kNone:
      break;
  }
  if (response.status == 413) {
    return Status::Error(StatusCode::kPayloadTooLarge, "body: larger than the server's limit", "body", "too_large");
  }
  if (response.status == 404) return Status::NotFound("no such path");
  if (response.status >= 500) return Status::Internal("internal error");
  return Status::Error(StatusCode::kInvalidArgument, "malformed HTTP request", "", "malformed_request");
}

void WriteError(httplib::Response& response, const Status& status) {
  WriteJson(response, HttpStatusFor(status.code()), ErrorBody(status));
}

// Names are UTF-8 and PostgreSQL stores nothing else: a path that is not names nothing, a
// query value that is not is refused by name (never passed on to the store).
Status RequireUtf8(const httplib::Request& request) {
  // NUL too: PostgreSQL text cannot hold it, and no name contains it.
  auto plain = [](const std::string& text) { return IsValidUtf8(text) && text.find('\0') == std::string::npos; };
  if (!plain(request.path)) {
    return Status::NotFound("nothing is named by " + request.method + " " + request.target +
                            " (the path is not valid UTF-8, or holds a NUL)");
  }
  for (const auto& [name, value] : request.params) {
    if (!plain(name)) return Status::InvalidArgument("query", "parameter names must be valid UTF-8 without NUL", "not_utf8");
    if (!plain(value)) return Status::InvalidArgument(name, "must be valid UTF-8 without NUL", "not_utf8");
  }
  return Status::Ok();
}

}  // namespace

ApiServer::ApiServer(std::vector<Route> routes, Authenticator& authenticator,
                     const Authorizer& authorizer, authz::IndexingStore& changes, ServerOptions options)
    : matcher_(std::move(routes)),
      authenticator_(authenticator),
      authorizer_(authorizer),
      changes_(changes),
      options_(options) {
  SSL_CTX* tls = nullptr;
  if (options_.tls) {
    tls = SSL_CTX_new(TLS_server_method());
    tls_status_ = tls == nullptr ? Status::Internal("cannot create a TLS context") : ConfigureTls(*tls, *options_.tls);
    if (!tls_status_.ok() && tls != nullptr) {
      SSL_CTX_free(tls);
      tls = nullptr;
    }
  }
  ConnectionLimits limits{options_.max_connections, options_.max_connections_per_client,
                          std::chrono::seconds(options_.request_read_timeout_seconds), options_.max_head_bytes,
                          options_.max_body_bytes};
  auto guarded = std::make_unique<GuardedServer>(limits, tls);
  size_t workers = guarded->WorkerThreads();
  server_ = std::move(guarded);
  server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  if (options_.organization_requests_per_second > 0) {
    static const SystemClock clock;
    rate_limiter_ = std::make_unique<RateLimiter>(options_.organization_requests_per_second,
                                                  std::max(1.0, options_.organization_burst), clock);
  }
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->set_write_timeout(options_.write_timeout_seconds, 0);
  server_->set_keep_alive_max_count(options_.keep_alive_max_requests);
  server_->set_keep_alive_timeout(options_.keep_alive_timeout_seconds);
  // Answers go out in more than one write; with Nagle's algorithm on, a client's delayed ACK
  // holds each answer back for up to 40 ms.
  server_->set_tcp_nodelay(true);

  auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
    Dispatch(request, response);
  };
  // Routing is ours (RouteMatcher), so that 404 and 405 answer in our error shape.
  const std::string any_path = ".*";
  server_->Get(any_path, dispatch);
  server_->Post(any_path, dispatch);
  server_->Put(any_path, dispatch);
  server_->Patch(any_path, dispatch);
  server_->Delete(any_path, dispatch);
  server_->Options(any_path, dispatch);
  // The library routes only the methods above and HEAD, and answers others it parses (TRACE,
  // CONNECT) "400 malformed": those are ours too, a 405 with Allow where the path exists.
  server_->set_pre_routing_handler(
      [dispatch](const httplib::Request& request, httplib::Response& response) {
        static const std::set<std::string> kRoutedByLibrary = {"GET",   "HEAD",   "POST",   "PUT",
                                                               "PATCH", "DELETE", "OPTIONS"};
        if (kRoutedByLibrary.count(request.method) > 0) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        dispatch(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });
  // Errors produced by the library itself (413 body too large, 400 unparsable request) get
  // the same JSON shape as ours.
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Status status = LibraryError(response);
    int http_status = response.status;  // keep the library's status (e.g. 414, 431)
    WriteError(response, status);
    response.status = http_status;
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          Logger()->error("unhandled exception: {}", e.what());
        } catch (...) {
          Logger()->error("unhandled non-standard exception");
        }
        WriteError(response, Status::Internal("internal error"));
      });
}

ApiServer::~ApiServer() = default;

Result<int> ApiServer::Bind(const std::string& host, int port) {
  if (!tls_status_.ok()) return tls_status_;
  int bound = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return Status::Error(StatusCode::kFailedState,
                         "cannot listen on " + host + ":" + std::to_string(port) +
                             " (address in use, or not an address of this machine)",
                         "listen", "bind_failed");
  }
  bound_port_ = bound;
  return bound;
}

bool ApiServer::Run() {
  run_started_ = true;
  bool listened = stop_requested_ ? true : server_->listen_after_bind();
  run_finished_ = true;
  return stop_requested_ || listened;
}

void ApiServer::Stop() {
  stop_requested_ = true;
  // Run() either sees the request before listening, or is about to listen: wait for that,
  // since a stop() before the server runs would be lost.
  if (run_started_) {
    while (!server_->is_running() && !run_finished_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  server_->stop();
  // Requests in flight finish and idle connections end (GuardedServer); Run() returns once
  // every worker is done.
  while (run_started_ && !run_finished_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

Status ApiServer::AwaitMinChange(const std::string& value) {
  uint64_t change = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), change);
  if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
    return Status::InvalidArgument(kMinChangeHeader,
                                   "must be a change number from a Rampart-Change-Number header (got \"" +
                                       value.substr(0, 40) + "\")",
                                   "bad_change_number");
  }
  return changes_.AwaitChange(change, options_.max_change_wait);
}

void ApiServer::Dispatch(const httplib::Request& request, httplib::Response& response) {
  auto started = std::chrono::steady_clock::now();
  RequestContext context;
  context.request_id = RequestIdFor(request);
  context.source_ip = request.remote_addr;
  context.user_agent = request.get_header_value("User-Agent").substr(0, 512);
  response.set_header("X-Request-Id", context.request_id);

  Status failure;
  RouteMatcher::Match match = matcher_.Find(request.method, request.path);
  if (EncodesSlash(request.target)) {
    // httplib decodes the path before we see it: an encoded '/' would otherwise split a
    // segment in two. No name or id contains one, so nothing real is lost.
    failure = Status::NotFound("no route " + request.method + " " + request.target +
                               " (path segments cannot contain an encoded '/')");
  } else if (match.outcome == RouteMatcher::Outcome::kNoSuchPath) {
    failure = Status::NotFound("no route " + request.method + " " + request.path);
  } else if (match.outcome == RouteMatcher::Outcome::kMethodNotAllowed) {
    response.set_header("Allow", match.allowed_methods);
    failure = Status::Error(StatusCode::kMethodNotAllowed,
                            request.method + " is not allowed on " + request.path +
                                " (allowed: " + match.allowed_methods + ")",
                            "", "method_not_allowed");
  } else {
    const Route& route = *match.route;
    auto authenticate = [&]() -> Status {
      Result<RequestContext> authenticated = authenticator_.Authenticate(request.get_header_value("Authorization"));
      if (!authenticated.ok()) {
        response.set_header("WWW-Authenticate", "Bearer realm=\"rampart\"");
        return authenticated.status();
      }
      context.organization_id = authenticated->organization_id;
      context.key_id = authenticated->key_id;
      context.actor = authenticated->actor;
      context.system_admin = authenticated->system_admin;
      context.principal_type = authenticated->principal_type;
      context.principal_id = authenticated->principal_id;
      return Status::Ok();
    };
    if (route.authenticated) {
      failure = authenticate();
      if (failure.ok() && rate_limiter_) {
        RateLimiter::Verdict verdict = rate_limiter_->Take(context.organization_id);
        if (!verdict.allowed) {
          response.set_header("Retry-After", std::to_string(verdict.retry_after_seconds));
          failure = Status::Error(StatusCode::kRateLimited,
                                  "the organization's request rate is exceeded; retry after " +
                                      std::to_string(verdict.retry_after_seconds) + " s",
                                  "", "rate_limited");
        }
      }
    }
    if (failure.ok()) {
      context.idempotency_key = request.get_header_value("Idempotency-Key");
      failure = ValidateIdempotencyKey(context.idempotency_key);
    }
    // Only for callers with a key, so that no one else can make a worker wait. Then once
    // more with the changes waited for: one of them may have revoked the key.
    if (failure.ok() && route.authenticated && request.has_header(kMinChangeHeader)) {
      const uint64_t applied_before = changes_.AppliedChange();
      failure = AwaitMinChange(request.get_header_value(kMinChangeHeader));
      if (failure.code() == StatusCode::kUnavailable) response.set_header("Retry-After", "1");
      if (failure.ok() && changes_.AppliedChange() != applied_before) failure = authenticate();
    }
    if (failure.ok()) failure = RequireUtf8(request);
    if (failure.ok() && route.authenticated && !route.authorized_by_use_case) {
      failure = authorizer_.Authorize(context, route.permission, match.path_params);
    }
    if (failure.ok()) {
      RouteRequest route_request{match.path_params,
                                 {request.params.begin(), request.params.end()},
                                 request.body, request.get_header_value("If-Match")};
      Result<RouteResponse> result = route.handler(context, route_request);
      if (result.ok()) {
        response.status = result->status;
        if (result->revision) {
          response.set_header("ETag", "\"" + std::to_string(*result->revision) + "\"");
        }
        if (result->body) {
          response.set_content(Serialize(*result->body), "application/json");
        } else if (result->stream) {
          auto stream = result->stream;
          response.set_chunked_content_provider(result->content_type, [stream](size_t, httplib::DataSink& sink) {
            const bool complete =
                stream([&sink](const std::string& piece) { return sink.write(piece.data(), piece.size()); });
            if (complete) sink.done();
            return complete;
          });
        } else if (!result->content_type.empty()) {
          response.set_content(result->text, result->content_type);
        }
      } else {
        failure = result.status();
      }
    }
  }
  if (failure.code() == StatusCode::kPermissionDenied) {
    authorizer_.RecordDenial(context, request.method + " " + request.path, failure);
  }
  if (failure.code() == StatusCode::kUnavailable && !response.has_header("Retry-After")) {
    // The operator's fix (free space, permissions) takes a while; clients back off that long.
    response.set_header("Retry-After", std::to_string(kStorageRetryAfterSeconds));
  }
  if (!failure.ok()) WriteError(response, failure);
  // Set last: a write's own change is applied by the time its handler returns. Only to
  // callers with a key: the number tells how busy the whole deployment is.
  if (!context.organization_id.empty()) {
    response.set_header(kChangeHeader, std::to_string(changes_.AppliedChange()));
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  Logger()->info("{} {} -> {} in {}us request_id={} key={} source={}", request.method,
                 request.path, response.status, elapsed, context.request_id,
                 context.key_id.empty() ? "-" : context.key_id, context.source_ip);
}

}  // namespace rampart::http
