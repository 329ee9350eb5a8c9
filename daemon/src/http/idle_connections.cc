#include "http/idle_connections.h"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

#include <cstdlib>
#include <vector>

namespace rampart::http {
namespace {

// The local port of `fd` when it is an IPv4 or IPv6 TCP socket, else -1.
int LocalPort(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;
  int type = 0;
  socklen_t type_length = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0 || type != SOCK_STREAM) return -1;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return -1;
}

std::vector<int> OpenDescriptors() {
  std::vector<int> fds;
  DIR* descriptors = opendir("/proc/self/fd");
  if (descriptors == nullptr) return fds;
  while (dirent* entry = readdir(descriptors)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && fd != dirfd(descriptors)) fds.push_back(static_cast<int>(fd));
  }
  closedir(descriptors);
  return fds;
}

}  // namespace

void BusyConnections::Begin(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[peer];
}

void BusyConnections::End(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = requests_.find(peer);
  if (found != requests_.end() && --found->second <= 0) requests_.erase(found);
}

bool BusyConnections::Busy(const std::string& peer) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.count(peer) > 0;
}

std::string PeerName(const sockaddr* address, socklen_t length) {
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (getnameinfo(address, length, host, sizeof(host), port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return "";
  }
  return std::string(host) + ":" + port;
}

void EndIdleConnections(int port, const BusyConnections& busy, std::set<int>& previously_idle) {
  std::set<int> idle;
  for (int fd : OpenDescriptors()) {
    if (LocalPort(fd) != port) continue;
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) continue;
    int waiting = 0;
    if (ioctl(fd, FIONREAD, &waiting) != 0 || waiting > 0) continue;
    if (busy.Busy(PeerName(reinterpret_cast<sockaddr*>(&peer), length))) continue;
    idle.insert(fd);
    if (previously_idle.count(fd) > 0) shutdown(fd, SHUT_RD);
  }
  previously_idle = std::move(idle);
}

}  // namespace rampart::http
