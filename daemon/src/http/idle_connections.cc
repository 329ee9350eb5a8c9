#include "http/idle_connections.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

}  // namespace

void EndIdleConnections(int port) {
  DIR* descriptors = opendir("/proc/self/fd");
  if (descriptors == nullptr) return;
  std::vector<int> fds;
  while (dirent* entry = readdir(descriptors)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && fd != dirfd(descriptors)) fds.push_back(static_cast<int>(fd));
  }
  closedir(descriptors);
  for (int fd : fds) {
    if (LocalPort(fd) == port) shutdown(fd, SHUT_RD);
  }
}

}  // namespace rampart::http
