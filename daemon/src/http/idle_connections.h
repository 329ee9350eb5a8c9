// Ending a server's keep-alive connections when it stops.
//
// cpp-httplib 0.11 (Debian's) lets a worker wait out the whole keep-alive timeout on an idle
// connection even after stop(): a client holding one idle connection (any HTTP client with a
// pool) delays shutdown by that timeout. The library does not expose the accepted sockets, so
// this finds them among the process's descriptors.
#pragma once

namespace rampart::http {

// Shuts the reading side of every TCP socket of this process whose local port is `port`
// (the server's accepted connections; its listening socket is closed by then). A worker
// waiting for the next request sees end-of-stream at once; one still answering a request
// writes its answer first, as a graceful stop promises. Linux only; elsewhere it does nothing.
void EndIdleConnections(int port);

}  // namespace rampart::http
