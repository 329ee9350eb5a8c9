#include "http/guarded_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/limited_stream.h"

namespace rampart::http {
namespace {

constexpr std::chrono::milliseconds kStopCheckInterval(50);
constexpr std::chrono::milliseconds kRefusalPatience(100);

thread_local const LimitedStream* current_stream = nullptr;

// The whole answer to a connection beyond the limits: 503, Retry-After, close. It is plain
// HTTP: over TLS the client sees its handshake fail instead, which costs the server no
// handshake while it is at its limit.
void Refuse(int fd, const std::string& why) {
  const std::string body = R"({"code":"unavailable","message":")" + why +
                           R"(; retry later","details":{"reason":"too_many_connections"}})" + "\n";
  const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                             "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body;
  // Answered after the request has come (clients drop an answer that precedes their
  // request) and read (closing on unread bytes would reset the connection, answer and all),
  // but never waiting long on a client we turn away: the few refusal workers stay free.
  pollfd entry{fd, POLLIN, 0};
  char discard[16 * 1024];
  if (poll(&entry, 1, kRefusalPatience.count()) > 0) {
    for (int reads = 0; reads < 4 && recv(fd, discard, sizeof(discard), MSG_DONTWAIT) > 0; ++reads) {
    }
  }
  // A fresh socket's send buffer takes this whole.
  (void)send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// TLS handshake within `timeout`, on the socket switched to non-blocking for it.
SSL* AcceptTls(SSL_CTX* context, int fd, std::chrono::milliseconds timeout) {
  SSL* ssl = SSL_new(context);
  if (ssl == nullptr) return nullptr;
  SSL_set_fd(ssl, fd);
  const int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool accepted = false;
  while (true) {
    int result = SSL_accept(ssl);
    if (result == 1) {
      accepted = true;
      break;
    }
    int error = SSL_get_error(ssl, result);
    auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if ((error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) || remaining.count() <= 0) break;
    pollfd entry{fd, static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    poll(&entry, 1, static_cast<int>(remaining.count()));
  }
  fcntl(fd, F_SETFL, flags);
  if (!accepted) {
    SSL_free(ssl);
    return nullptr;
  }
  return ssl;
}

}  // namespace

LimitedStream::Failure CurrentRequestFailure() {
  return current_stream != nullptr ? current_stream->failure() : LimitedStream::Failure::kNone;
}

GuardedServer::GuardedServer(ConnectionLimits limits, SSL_CTX* tls) : limits_(limits), tls_(tls) {}

GuardedServer::~GuardedServer() {
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

bool GuardedServer::Admit(const std::string& client) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (connections_ >= limits_.max_connections || per_client_[client] >= limits_.max_connections_per_client) {
    if (per_client_[client] == 0) per_client_.erase(client);
    return false;
  }
  ++connections_;
  ++per_client_[client];
  return true;
}

void GuardedServer::Release(const std::string& client) {
  std::lock_guard<std::mutex> lock(mutex_);
  --connections_;
  if (--per_client_[client] == 0) per_client_.erase(client);
}

bool GuardedServer::process_and_close_socket(int fd) {
  const std::string client = RemoteAddress(fd);
  if (!Admit(client)) {
    Refuse(fd, "the server is at its connection limit (" + std::to_string(limits_.max_connections) + " in all, " +
                   std::to_string(limits_.max_connections_per_client) + " per client address)");
  } else {
    SSL* ssl = nullptr;
    if (tls_ == nullptr || (ssl = AcceptTls(tls_, fd, limits_.request_read_timeout)) != nullptr) {
      ServeRequests(fd, ssl);
    }
    if (ssl != nullptr) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    Release(client);
  }
  shutdown(fd, SHUT_RDWR);
  close(fd);
  return true;
}

void GuardedServer::ServeRequests(int fd, SSL* ssl) {
  for (size_t served = 0; served < keep_alive_max_count_; ++served) {
    if (!WaitForRequest(fd, ssl)) return;
    StreamLimits stream_limits{std::chrono::steady_clock::now() + limits_.request_read_timeout,
                               limits_.max_head_bytes, limits_.max_head_bytes + limits_.max_body_bytes,
                               std::chrono::seconds(write_timeout_sec_)};
    LimitedStream stream(fd, ssl, stream_limits);
    current_stream = &stream;
    bool connection_closed = false;
    const bool last = served + 1 == keep_alive_max_count_;
    const bool answered = process_request(stream, last, connection_closed, nullptr);
    current_stream = nullptr;
    if (!answered || connection_closed || stream.failure() != LimitedStream::Failure::kNone) return;
  }
}

bool GuardedServer::WaitForRequest(int fd, SSL* ssl) {
  if (ssl != nullptr && SSL_pending(ssl) > 0) return true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
  while (svr_sock_ != INVALID_SOCKET) {  // a stopping server ends idle connections here
    auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) return false;
    pollfd entry{fd, POLLIN, 0};
    int ready = poll(&entry, 1, static_cast<int>(std::min(remaining, kStopCheckInterval).count()));
    if (ready > 0) return (entry.revents & POLLIN) != 0;
    if (ready < 0 && errno != EINTR) return false;
  }
  return false;
}

}  // namespace rampart::http
