#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include <spdlog/spdlog.h>

#include "service/authenticator.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "common/logging.h"
#include "http/api_server.h"
#include "http/route_table.h"
#include "authz/indexing_store.h"
#include "service/audit_retention.h"
#include "service/expiry_recorder.h"
#include "service/periodic_task.h"
#include "service/services.h"
#include "cli/store_location.h"

namespace rampart::cli {
namespace {

// How often retention purges run. Events live a little past their retention (up to this
// long), never less.
constexpr std::chrono::minutes kRetentionPeriod(60);
constexpr std::chrono::minutes kChangePrunePeriod(10);
constexpr uint64_t kKeptChanges = 100000;

struct ListenAddress {
  std::string host;
  int port = 0;
};

// HOST:PORT, with [v6]:PORT for IPv6 literals.
Result<ListenAddress> ParseListen(const std::string& value) {
  auto invalid = [&] {
    return Status::InvalidArgument("--listen", "must be HOST:PORT, e.g. 127.0.0.1:8080 (got \"" +
                                                   value + "\")",
                                   "host_port");
  };
  size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) return invalid();
  ListenAddress address;
  address.host = value.substr(0, colon);
  if (address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  std::string port = value.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return invalid();
  address.port = std::stoi(port);
  if (address.port > 65535) return invalid();
  return address;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  auto logger = NamedLogger("serve");
  auto fail = [&](const Status& status) {
    logger->error("{}", status.message());
    return 1;
  };
  Result<Flags> flags =
      Flags::Parse(args, WithStoreFlags({"listen", "organization-rate-limit", "fsync", "tls-cert", "tls-key",
                                         "max-connections", "max-connections-per-client", "max-change-wait-ms"}));
  if (!flags.ok()) return fail(flags.status());
  Result<StoreLocation> location = StoreLocation::FromFlags(*flags);
  if (!location.ok()) return fail(location.status());
  Result<ListenAddress> listen = ParseListen(flags->Get("listen").value_or("127.0.0.1:8080"));
  if (!listen.ok()) return fail(listen.status());
  http::ServerOptions options;
  if (std::optional<std::string> limit = flags->Get("organization-rate-limit")) {
    char* end = nullptr;
    const double per_second = std::strtod(limit->c_str(), &end);
    if (limit->empty() || *end != '\0' || !(per_second >= 0) || per_second > 1e9) {
      return fail(Status::InvalidArgument("--organization-rate-limit",
                                          "must be requests per second, 0 for no limit (got \"" + *limit + "\")",
                                          "bad_rate"));
    }
    options.organization_requests_per_second = per_second;
    options.organization_burst = 2 * per_second;  // a second's worth on top of the rate
  }

  Result<std::optional<size_t>> max_connections = flags->GetCount("max-connections", 1, 10000);
  if (!max_connections.ok()) return fail(max_connections.status());
  if (*max_connections) options.max_connections = **max_connections;
  Result<std::optional<size_t>> per_client = flags->GetCount("max-connections-per-client", 1, 10000);
  if (!per_client.ok()) return fail(per_client.status());
  if (*per_client) options.max_connections_per_client = **per_client;
  Result<std::optional<size_t>> change_wait = flags->GetCount("max-change-wait-ms", 0, 60000);
  if (!change_wait.ok()) return fail(change_wait.status());
  if (*change_wait) options.max_change_wait = std::chrono::milliseconds(**change_wait);
  std::optional<std::string> tls_cert = flags->Get("tls-cert");
  std::optional<std::string> tls_key = flags->Get("tls-key");
  if (tls_cert.has_value() != tls_key.has_value()) {
    const char* missing = tls_cert ? "--tls-key" : "--tls-cert";
    return fail(Status::InvalidArgument(missing, "is required with --tls-cert and --tls-key (HTTPS needs both)",
                                        "required"));
  }
  if (tls_cert) options.tls = http::TlsFiles{*tls_cert, *tls_key};
  auto durability = Durability::kFsync;
  if (std::optional<std::string> fsync = flags->Get("fsync")) {
    if (*fsync == "never") {
      durability = Durability::kNoFsync;
    } else if (*fsync != "always") {
      return fail(Status::InvalidArgument("--fsync", "must be always or never (got \"" + *fsync + "\")",
                                          "bad_fsync"));
    }
  }

  // Block the shutdown signals in every thread (the server's pool inherits this mask), so
  // only the waiter below receives them. SIGUSR2 is ours: it releases the waiter when the
  // server stops for another reason.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  Result<OpenedStore> store = OpenStore(*location, /*create_if_missing=*/false, durability);
  if (!store.ok()) return fail(store.status());
  if (durability == Durability::kNoFsync) {
    logger->warn("--fsync never: acknowledged writes can be lost in a power cut or kernel crash");
  }
  SystemClock clock;
  authz::AccessIndex index;
  authz::IndexingStore indexed(*store->store, index);
  if (Status loaded = indexed.Load(); !loaded.ok()) return fail(loaded);
  indexed.FollowOtherWriters();
  // The change log keeps this many changes: a replica that falls further behind (down for
  // a long while) reloads its whole index instead of catching up.
  PeriodicTask prune_changes(kChangePrunePeriod, [&indexed] {
    if (Status pruned = indexed.PruneChangeLog(kKeptChanges); !pruned.ok()) {
      NamedLogger("store")->warn("cannot prune the change log: {}", pruned.message());
    }
  });
  Services services(indexed, clock, index);
  Authenticator authenticator(indexed, clock);
  ExpiryRecorder expiry_recorder(indexed, clock);
  PeriodicTask expiries(std::chrono::seconds(1), [&expiry_recorder] {
    if (Result<size_t> recorded = expiry_recorder.RecordDue(); !recorded.ok()) {
      NamedLogger("authz")->warn("cannot record expired assignments: {}", recorded.status().message());
    }
  });
  AuditRetention retention(indexed, clock);
  PeriodicTask purges(kRetentionPeriod, [&retention] {
    Result<int64_t> purged = retention.PurgeDue();
    if (!purged.ok()) {
      NamedLogger("audit")->warn("cannot purge audit events past their retention: {}", purged.status().message());
    } else if (*purged > 0) {
      NamedLogger("audit")->info("purged {} audit events past their organizations' retention", *purged);
    }
  });
  http::ApiServer server(http::BuildRouteTable(services), authenticator, services.authorizer, indexed, options);
  Result<int> port = server.Bind(listen->host, listen->port);
  if (!port.ok()) return fail(port.status());

  // The first SIGTERM/SIGINT drains and stops; a second one while draining exits at once.
  // SIGUSR2 from ourselves releases the waiter once the server has stopped.
  std::atomic<bool> server_done{false};
  std::thread signal_waiter([&] {
    bool stopping = false;
    while (true) {
      int received = 0;
      sigwait(&shutdown_signals, &received);
      if (received == SIGUSR2) {
        if (server_done) return;
        continue;  // not ours: keep waiting
      }
      if (stopping) {
        logger->warn("received signal {} again, exiting without draining", received);
        std::_Exit(1);
      }
      stopping = true;
      logger->info("received signal {}, finishing in-flight requests", received);
      server.Stop();
    }
  });
  logger->info("serving {} on {}:{} over {} (schema version {})", location->Describe(), listen->host, *port,
               options.tls ? "HTTPS" : "HTTP", store->schema_version);
  bool stopped_cleanly = server.Run();
  server_done = true;
  pthread_kill(signal_waiter.native_handle(), SIGUSR2);
  signal_waiter.join();
  if (!stopped_cleanly) return fail(Status::Internal("stopped accepting connections unexpectedly"));
  logger->info("stopped");
  return 0;
}

}  // namespace rampart::cli
