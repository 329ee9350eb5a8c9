// LimitedStream: one HTTP request's view of an accepted connection, plain or TLS, with the
// limits that keep one client from holding the server: the request (head and body) must
// arrive within a deadline and within a byte budget, and its head within a smaller one.
//
// httplib 0.11 reads a request with no bound on its header lines or their number and waits
// for each byte of it up to the read timeout, so a client trickling bytes could hold a worker
// and grow memory for as long as it liked. GuardedServer reads every request through this
// stream instead. Not thread-safe: one per request, on the connection's worker.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <string>

#include <httplib.h>

namespace rampart::http {

struct StreamLimits {
  std::chrono::steady_clock::time_point read_deadline;  // the whole request by then
  size_t max_head_bytes = 0;                            // request line and headers
  size_t max_request_bytes = 0;                         // head and body together
  std::chrono::milliseconds write_timeout{30000};       // per write, for a stalled reader
};

class LimitedStream final : public httplib::Stream {
 public:
  // `ssl` is null for plain HTTP; the connection's TLS session otherwise (not owned).
  LimitedStream(int fd, SSL* ssl, StreamLimits limits);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return fd_; }

  // Which limit ended the request, if one did (for the error answer).
  enum class Failure { kNone, kHeadTooLarge, kRequestTooLarge, kTooSlow };
  Failure failure() const { return failure_; }

 private:
  // Whether more of the request comes from the client before the read deadline.
  bool ArrivesInTime() const;
  ssize_t Receive(char* ptr, size_t size);
  void CountHeadBytes(const char* data, size_t size);

  int fd_;
  SSL* ssl_;
  StreamLimits limits_;
  std::string buffer_;  // received, not yet read
  size_t buffer_offset_ = 0;
  size_t bytes_read_ = 0;
  // The head ends at the first blank line: "\r\n\r\n", counted as it streams past.
  bool head_done_ = false;
  int head_end_match_ = 0;
  // The head, lowercased, until it is done; then whether it announces a body. A request
  // with neither Content-Length nor Transfer-Encoding has none (RFC 9112 6.3), but httplib
  // 0.11 reads a POST's body until the connection closes: this stream ends it at the head.
  std::string head_;
  bool declares_body_ = true;
  Failure failure_ = Failure::kNone;
};

// The numeric address of the peer of socket `fd` ("127.0.0.1", "::1"); "" when unknown.
std::string RemoteAddress(int fd);

}  // namespace rampart::http
