// The limits that keep one client from holding the server (GuardedServer, LimitedStream),
// through a real server and raw sockets: oversized heads and bodies, slow and trickling
// clients, too many connections in all and from one address.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A raw client connection from `source` (any 127.0.0.0/8 address) to the fixture's server.
class RawConnection {
 public:
  RawConnection(int port, const char* source = "127.0.0.1") {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source, &local.sin_addr);
    bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local));
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<uint16_t>(port));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof(server)) == 0;
  }
  ~RawConnection() { close(fd_); }
  bool connected() const { return connected_; }

  bool Send(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  // Everything the server sends until it closes the connection or `patience` passes.
  std::string ReadUntilClosed(milliseconds patience = milliseconds(10000)) {
    std::string received;
    auto deadline = steady_clock::now() + patience;
    char buffer[4096];
    while (steady_clock::now() < deadline) {
      pollfd entry{fd_, POLLIN, 0};
      if (poll(&entry, 1, 50) <= 0) continue;
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }
  // Sends a keep-alive GET /healthz and reads its whole answer, leaving the connection open
  // and idle: proof that the server admitted it. True on a 200.
  bool Healthz() {
    if (!Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) return false;
    std::string received;
    char buffer[4096];
    auto deadline = steady_clock::now() + milliseconds(10000);
    while (steady_clock::now() < deadline) {
      size_t head_end = received.find("\r\n\r\n");
      size_t length_at = received.find("Content-Length: ");
      if (head_end != std::string::npos && length_at != std::string::npos &&
          received.size() >= head_end + 4 + std::stoul(received.substr(length_at + 16))) {
        return received.rfind("HTTP/1.1 200", 0) == 0;
      }
      pollfd entry{fd_, POLLIN, 0};
      if (poll(&entry, 1, 50) <= 0) continue;
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) return false;
      received.append(buffer, static_cast<size_t>(n));
    }
    return false;
  }
  // The status code of the first answer within `patience`, or 0.
  int Status(milliseconds patience = milliseconds(10000)) {
    std::string answer = ReadUntilClosed(patience);
    return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(answer.substr(9, 3)) : 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class ConnectionLimitsTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    ServerOptions options;
    options.max_body_bytes = 64 * 1024;
    options.max_head_bytes = 8 * 1024;
    options.request_read_timeout_seconds = 1;
    options.max_connections = 4;
    options.max_connections_per_client = 2;
    RestartServer(options);
  }

  // A connection from `source` the server admitted and answered, left open and idle. Slots of
  // connections that closed just before (the fixture's own probes) come back once the server
  // has seen them close, so a refusal is retried for a while.
  std::unique_ptr<RawConnection> Admitted(const char* source = "127.0.0.1") {
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto connection = std::make_unique<RawConnection>(port_, source);
      if (connection->Healthz()) return connection;
      std::this_thread::sleep_for(milliseconds(50));
    }
    ADD_FAILURE() << "no connection from " << source << " was admitted";
    return std::make_unique<RawConnection>(port_, source);
  }

  std::string Post(const std::string& extra_headers, const std::string& body) {
    return "POST /v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + organization_.token +
           "\r\nContent-Type: application/json\r\n" + extra_headers + "Connection: close\r\n\r\n" + body;
  }
};

TEST_F(ConnectionLimitsTest, AnOversizedHeadIs431AndChangesNothing) {
  for (const std::string& headers : {"X-Long: " + std::string(20 * 1024, 'a') + "\r\n",
                                     [] {  // many small headers, each under any per-line limit
                                       std::string many;
                                       for (int i = 0; i < 1000; ++i) many += "X-" + std::to_string(i) + ": b\r\n";
                                       return many;
                                     }()}) {
    RawConnection connection(port_);
    ASSERT_TRUE(connection.connected());
    connection.Send(Post(headers + "Content-Length: 16\r\n", R"({"name":"head"})"));
    std::string answer = connection.ReadUntilClosed();
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 431") << answer.substr(0, 200);
    EXPECT_NE(answer.find(R"("field":"headers")"), std::string::npos) << answer;
  }
  EXPECT_EQ(WorkspaceCount(), 0u);
}

TEST_F(ConnectionLimitsTest, AnOversizedBodyIs413DeclaredOrChunked) {
  RawConnection declared(port_);
  declared.Send(Post("Content-Length: 100000\r\n", ""));
  EXPECT_EQ(declared.Status(), 413);
  RawConnection chunked(port_);
  std::string chunk(32 * 1024, ' ');
  std::string body;
  for (int i = 0; i < 4; ++i) body += "8000\r\n" + chunk + "\r\n";
  chunked.Send(Post("Transfer-Encoding: chunked\r\n", body + "0\r\n\r\n"));
  EXPECT_EQ(chunked.Status(), 413);
  EXPECT_EQ(WorkspaceCount(), 0u);
}

// A request must arrive whole within the read timeout (1 s here), however it trickles.
TEST_F(ConnectionLimitsTest, ASlowOrTricklingRequestIsCutAt408) {
  RawConnection stalled(port_);
  stalled.Send("POST /v1/workspaces HTTP/1.1\r\nHost: x\r\n");
  auto started = steady_clock::now();
  EXPECT_EQ(stalled.Status(), 408);
  EXPECT_LT(steady_clock::now() - started, milliseconds(5000)) << "the stalled request held its worker";

  RawConnection trickling(port_);
  const std::string request = Post("Content-Length: 16\r\n", R"({"name":"slow"})");
  started = steady_clock::now();
  for (char byte : request) {  // one byte every 20 ms: each well within any per-read timeout
    if (!trickling.Send(std::string(1, byte)) || steady_clock::now() - started > milliseconds(3000)) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(trickling.Status(), 408);
  EXPECT_EQ(WorkspaceCount(), 0u);
}

// A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 6.3):
// `curl -X POST .../apply` is answered, not held until the read timeout for a body that
// never comes.
TEST_F(ConnectionLimitsTest, APostWithoutALengthHasNoBodyAndIsAnsweredAtOnce) {
  RawConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  connection.Send(Post("", ""));
  std::string answer = connection.ReadUntilClosed();
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer.substr(0, 300);
  EXPECT_NE(answer.find(R"("field":"body")"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("too_slow"), std::string::npos) << answer;
  EXPECT_EQ(WorkspaceCount(), 0u);
}

TEST_F(ConnectionLimitsTest, ConnectionsBeyondTheLimitsGet503AtOnce) {
  // Two idle connections from 127.0.0.1 fill its share (2); a third is turned away. Each
  // admitted connection is answered once first, so it is known to hold its slot.
  {
    auto first = Admitted();
    auto second = Admitted();
    RawConnection third(port_);
    std::string refused = third.ReadUntilClosed();
    EXPECT_EQ(refused.substr(0, 12), "HTTP/1.1 503") << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos);
    EXPECT_NE(refused.find("connection limit"), std::string::npos);
    // Another address still gets in, up to the total of 4.
    auto other = Admitted("127.0.0.2");
    auto another = Admitted("127.0.0.3");
    RawConnection fifth(port_, "127.0.0.4");
    EXPECT_EQ(fifth.Status(), 503) << "the total limit";
    EXPECT_TRUE(other->Healthz()) << "admitted connections go on being served";
  }
  // Closed connections give their slots back (once the server has seen them close).
  EXPECT_TRUE(Admitted()->Healthz());
  EXPECT_TRUE(Admitted()->Healthz());
}

}  // namespace
}  // namespace rampart::http
