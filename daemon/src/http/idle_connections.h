// Ending a server's idle keep-alive connections when it stops, and only those.
//
// cpp-httplib 0.11 (Debian's) lets a worker wait out the whole keep-alive timeout on an idle
// connection even after stop(): a client holding one idle connection (any HTTP client with a
// pool) would delay shutdown by that timeout. Shutting the reading side of such a connection
// ends the wait at once. A connection that is answering a request must be left alone: before
// every write httplib peeks at the socket to see whether the peer has gone, and a shut
// reading side reads as gone, so the answer would be dropped after the work was done. The
// server therefore marks a connection busy from the moment a request's headers are read until
// its answer is written. The library does not expose the accepted sockets, so they are found
// among the process's descriptors. Linux only; elsewhere nothing is ended.
#pragma once

#include <sys/socket.h>

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace rampart::http {

// The connections with a request between its headers and its answer, by peer address.
// Thread-safe.
class BusyConnections {
 public:
  void Begin(const std::string& peer);
  void End(const std::string& peer);  // an End without a Begin is ignored
  bool Busy(const std::string& peer) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> requests_;
};

// "ADDRESS:PORT" as httplib spells a request's remote_addr and remote_port.
std::string PeerName(const sockaddr* address, socklen_t length);

// One scan of the accepted connections on `port` (the listening socket is closed by then):
// shuts the reading side of each that is idle (not busy, nothing waiting to be read) in this
// scan and in the previous one, whose idle descriptors `previously_idle` carries from scan
// to scan. Two scans apart, a request whose bytes were read but whose headers are still being
// parsed is not mistaken for idleness.
void EndIdleConnections(int port, const BusyConnections& busy, std::set<int>& previously_idle);

}  // namespace rampart::http
