// GuardedServer: httplib's server with the connection handling a public-facing daemon needs.
//
// httplib 0.11 gives every accepted connection a worker for as long as it stays open and
// queues the rest without bound, reads requests with no limit on their heads and no deadline,
// and keeps idle keep-alive connections open through a stop. This subclass takes over each
// accepted connection (httplib's process_and_close_socket) and:
//   - admits at most `max_connections`, and `max_connections_per_client` from one address;
//     beyond that the client gets 503 with Retry-After at once and the connection closes;
//   - reads each request through a LimitedStream: head and body within
//     `request_read_timeout`, the head within `max_head_bytes` (431 beyond);
//   - serves TLS itself when given a context (handshake within the read timeout);
//   - ends idle keep-alive connections as soon as the server stops, while a request in
//     flight finishes and is answered.
// Request parsing, routing and answers stay httplib's (process_request).
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <httplib.h>

#include "http/limited_stream.h"

namespace rampart::http {

struct ConnectionLimits {
  size_t max_connections = 128;
  size_t max_connections_per_client = 32;
  std::chrono::seconds request_read_timeout{30};
  size_t max_head_bytes = 64 * 1024;
  size_t max_body_bytes = 1 << 20;
};

// Which limit ended the request this thread is reading or answering, for the error answer.
LimitedStream::Failure CurrentRequestFailure();

class GuardedServer final : public httplib::Server {
 public:
  // `tls`, when not null, is owned and used for every connection.
  GuardedServer(ConnectionLimits limits, SSL_CTX* tls);
  ~GuardedServer() override;

  // Workers the task queue needs: every admitted connection holds one, and a few more turn
  // away connections beyond the limits while all admitted ones are busy.
  size_t WorkerThreads() const { return limits_.max_connections + kRefusalWorkers; }

 private:
  static constexpr size_t kRefusalWorkers = 4;

  bool process_and_close_socket(int fd) override;
  // Takes a connection slot for `client`, or returns false when a limit is reached.
  bool Admit(const std::string& client);
  void Release(const std::string& client);
  // Serves requests on the connection until it closes, the server stops, or a limit ends it.
  void ServeRequests(int fd, SSL* ssl);
  // Waits for the next request's first byte; false when the connection idled out, closed or
  // the server is stopping.
  bool WaitForRequest(int fd, SSL* ssl);

  const ConnectionLimits limits_;
  SSL_CTX* tls_;
  std::mutex mutex_;
  size_t connections_ = 0;                  // guarded by mutex_
  std::map<std::string, size_t> per_client_;  // guarded by mutex_
};

}  // namespace rampart::http
