#include "store/postgres/change_listener.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "common/logging.h"
#include "store/postgres/pg_connection.h"

namespace rampart::postgres {
namespace {

constexpr int kFirstBackoffMs = 100;
constexpr int kMaxBackoffMs = 5000;

}  // namespace

ChangeListener::ChangeListener(std::string url, int poll_ms, DatabaseHealth& health,
                               std::function<void()> on_change)
    : url_(std::move(url)),
      poll_ms_(poll_ms),
      health_(health),
      on_change_(std::move(on_change)),
      stop_fd_(eventfd(0, EFD_CLOEXEC)),
      thread_([this] { Run(); }) {}

ChangeListener::~ChangeListener() {
  uint64_t one = 1;
  (void)!write(stop_fd_, &one, sizeof one);
  thread_.join();
  close(stop_fd_);
}

bool ChangeListener::Wait(int fd, int timeout_ms, bool& readable) {
  pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {fd, POLLIN, 0}};
  int ready = poll(fds, fd < 0 ? 1 : 2, timeout_ms);
  if (ready > 0 && (fds[0].revents & POLLIN) != 0) return false;
  readable = ready > 0 && fd >= 0 && fds[1].revents != 0;
  return true;
}

void ChangeListener::Run() {
  static const auto logger = NamedLogger("store");
  std::unique_ptr<PgConnection> connection;
  int backoff_ms = kFirstBackoffMs;
  bool readable = false;
  while (true) {
    if (connection == nullptr) {
      try {
        connection = PgConnection::Connect(url_);
        connection->Exec(std::string("LISTEN ") + kChangesChannel);
      } catch (const PgError& error) {
        connection.reset();
        health_.Unreachable(error.what());
        logger->warn("change listener cannot reach the database, retrying in {} ms: {}", backoff_ms, error.what());
        if (!Wait(-1, backoff_ms, readable)) return;
        backoff_ms = std::min(backoff_ms * 2, kMaxBackoffMs);
        continue;
      }
      health_.Reached();
      backoff_ms = kFirstBackoffMs;
      on_change_();  // whatever was committed while we were not listening
    }
    if (!Wait(PQsocket(connection->raw()), poll_ms_, readable)) return;
    if (!readable) {
      on_change_();
      continue;
    }
    bool notified = false;
    if (PQconsumeInput(connection->raw()) == 0 || !connection->Usable()) {
      std::string reason = connection->ErrorMessage();
      health_.Unreachable(reason.empty() ? "the connection was closed" : reason);
      logger->warn("change listener lost its database connection: {}", reason);
      connection.reset();
      continue;
    }
    while (PGnotify* notify = PQnotifies(connection->raw())) {
      notified = true;
      PQfreemem(notify);
    }
    if (notified) on_change_();
  }
}

}  // namespace rampart::postgres
