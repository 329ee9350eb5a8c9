#include "http/limited_stream.h"

#include <cctype>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>

namespace rampart::http {
namespace {

constexpr size_t kReceiveChunk = 16 * 1024;

bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd entry{fd, events, 0};
  int ready = 0;
  do {
    ready = poll(&entry, 1, static_cast<int>(std::max<int64_t>(0, timeout.count())));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

void AddressOf(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  int got = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
                 : getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (got != 0) return;
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof(host), service, sizeof(service),
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

}  // namespace

std::string RemoteAddress(int fd) {
  std::string ip;
  int port = 0;
  AddressOf(fd, true, ip, port);
  return ip;
}

LimitedStream::LimitedStream(int fd, SSL* ssl, StreamLimits limits) : fd_(fd), ssl_(ssl), limits_(limits) {}

bool LimitedStream::is_readable() const {
  return buffer_offset_ < buffer_.size() || ArrivesInTime();
}

bool LimitedStream::ArrivesInTime() const {
  if (ssl_ != nullptr && SSL_pending(ssl_) > 0) return true;
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.read_deadline -
                                                                         std::chrono::steady_clock::now());
  return remaining.count() > 0 && WaitFor(fd_, POLLIN, remaining);
}

bool LimitedStream::is_writable() const { return WaitFor(fd_, POLLOUT, limits_.write_timeout); }

ssize_t LimitedStream::read(char* ptr, size_t size) {
  if (buffer_offset_ == buffer_.size()) {
    if (head_done_ && !declares_body_) return 0;  // the request ends with its head
    buffer_.resize(kReceiveChunk);
    buffer_offset_ = 0;
    ssize_t received = Receive(buffer_.data(), buffer_.size());
    if (received <= 0) {
      buffer_.clear();
      return received;
    }
    buffer_.resize(static_cast<size_t>(received));
  }
  size_t count = std::min(size, buffer_.size() - buffer_offset_);
  // The budget is spent as the request is read, not as bytes arrive: a pipelined next
  // request in the buffer is not this one's.
  if (bytes_read_ + count > limits_.max_request_bytes) {
    failure_ = Failure::kRequestTooLarge;
    return -1;
  }
  CountHeadBytes(buffer_.data() + buffer_offset_, count);
  if (failure_ != Failure::kNone) return -1;
  std::copy_n(buffer_.data() + buffer_offset_, count, ptr);
  buffer_offset_ += count;
  bytes_read_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t LimitedStream::Receive(char* ptr, size_t size) {
  if (!ArrivesInTime()) {
    failure_ = Failure::kTooSlow;
    return -1;
  }
  if (ssl_ == nullptr) {
    ssize_t received = 0;
    do {
      received = recv(fd_, ptr, size, 0);
    } while (received < 0 && errno == EINTR);
    return received;
  }
  int received = SSL_read(ssl_, ptr, static_cast<int>(size));
  return received > 0 ? received : (SSL_get_error(ssl_, received) == SSL_ERROR_ZERO_RETURN ? 0 : -1);
}

void LimitedStream::CountHeadBytes(const char* data, size_t size) {
  static constexpr char kEnd[] = "\r\n\r\n";
  for (size_t i = 0; i < size && !head_done_; ++i) {
    if (bytes_read_ + i + 1 > limits_.max_head_bytes) {
      failure_ = Failure::kHeadTooLarge;
      return;
    }
    head_end_match_ = data[i] == kEnd[head_end_match_] ? head_end_match_ + 1 : (data[i] == '\r' ? 1 : 0);
    head_.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(data[i]))));
    head_done_ = head_end_match_ == 4;
  }
  if (head_done_ && !head_.empty()) {
    declares_body_ = head_.find("\ncontent-length:") != std::string::npos ||
                     head_.find("\ntransfer-encoding:") != std::string::npos;
    head_.clear();
    head_.shrink_to_fit();
  }
}

ssize_t LimitedStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  if (ssl_ == nullptr) {
    ssize_t sent = 0;
    do {
      sent = send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent;
  }
  int sent = SSL_write(ssl_, ptr, static_cast<int>(size));
  return sent > 0 ? sent : -1;
}

void LimitedStream::get_remote_ip_and_port(std::string& ip, int& port) const { AddressOf(fd_, true, ip, port); }

void LimitedStream::get_local_ip_and_port(std::string& ip, int& port) const { AddressOf(fd_, false, ip, port); }

}  // namespace rampart::http
