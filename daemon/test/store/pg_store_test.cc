// What only the PostgreSQL store does: replicas (several PgStore objects, as several rampartd
// processes) sharing one database, and a server that goes away and comes back. What every
// store does is in store_contract_test.cc.
//
// Every test needs PostgreSQL: the `pg.` ctest variant runs them (RAMPART_TEST_STORE=postgres);
// the plain variant skips them, having no server.
#include "store/postgres/database_url.h"
#include "store/postgres/pg_store.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <latch>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "audit/audit_chain.h"
#include "common/random.h"
#include "store/postgres/pg_schema.h"
#include "store/store_test_objects.h"
#include "support/postgres_server.h"

namespace rampart::testing {
namespace {

using postgres::PgStoreOptions;
using std::chrono::milliseconds;

// Polls `done` every 20 ms for up to `timeout`; whether it became true.
bool WaitUntil(const std::function<bool()>& done, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

// A loopback port nothing listens on (free when asked).
int UnusedLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// Counts the calls of a WatchChanges callback; waits for them.
class CallCounter {
 public:
  std::function<void()> Callback() {
    return [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      ++calls_;
      called_.notify_all();
    };
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  // Whether the count exceeded `count` within `timeout`.
  bool WaitForMoreThan(int count, milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return called_.wait_for(lock, timeout, [&] { return calls_ > count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable called_;
  int calls_ = 0;  // guarded by mutex_
};

class PgStore : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TestsUsePostgres()) {
      GTEST_SKIP() << "needs PostgreSQL: the pg. ctest variant runs it (RAMPART_TEST_STORE=postgres)";
    }
    Status created = database_.Create();
    ASSERT_TRUE(created.ok()) << created.message();
  }

  // Opens a replica: a store of its own on the database `url` (this test's by default).
  static void OpenReplica(std::unique_ptr<postgres::PgStore>& store, const std::string& url,
                          const PgStoreOptions& options = PgStoreOptions()) {
    auto opened = postgres::PgStore::Open(url, /*create_if_missing=*/true, options);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store = std::move(opened).value();
  }

  TemporaryDatabase database_;  // first: it outlives the stores connected to it
};

TEST_F(PgStore, ChangeNumbersIncreaseAcrossReplicas) {
  std::unique_ptr<postgres::PgStore> first, second;
  ASSERT_NO_FATAL_FAILURE(OpenReplica(first, database_.url()));
  ASSERT_NO_FATAL_FAILURE(OpenReplica(second, database_.url()));
  std::vector<uint64_t> numbers;
  for (int i = 0; i < 10; ++i) {
    Store& replica = i % 2 == 0 ? *first : *second;
    Status status = replica.Write([&](StoreTransaction& t) {
      numbers.push_back(t.ChangeNumber());
      return t.RecordChange("workspace", "org_1", "ws_" + std::to_string(i));
    });
    ASSERT_TRUE(status.ok()) << status.message();
    if (i > 0) {
      EXPECT_GT(numbers[i], numbers[i - 1]) << "write " << i;
    }
  }
  // Either replica reads the other's changes, in commit order.
  for (Store* replica : {static_cast<Store*>(first.get()), static_cast<Store*>(second.get())}) {
    ChangeLog log;
    ASSERT_TRUE(replica->Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(log, t.ReadChanges(numbers.front() - 1));
      return Status::Ok();
    }).ok());
    EXPECT_EQ(log.newest, numbers.back());
    ASSERT_EQ(log.objects.size(), numbers.size());
    for (size_t i = 0; i < numbers.size(); ++i) {
      EXPECT_EQ(log.objects[i].change, numbers[i]);
      EXPECT_EQ(log.objects[i].id, "ws_" + std::to_string(i));
    }
  }
}

// AppendAuditEvent chains after the organization's last event: two replicas appending at once
// must still make one chain, never two events after the same one.
TEST_F(PgStore, ConcurrentAuditAppendsThroughTwoReplicasKeepOneChain) {
  constexpr int kThreads = 4;
  constexpr int kEventsPerThread = 25;
  std::unique_ptr<postgres::PgStore> first, second;
  ASSERT_NO_FATAL_FAILURE(OpenReplica(first, database_.url()));
  ASSERT_NO_FATAL_FAILURE(OpenReplica(second, database_.url()));
  std::latch start(kThreads);
  std::mutex failures_mutex;
  std::vector<std::string> failures;  // guarded by failures_mutex
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      Store& replica = thread % 2 == 0 ? *first : *second;
      start.arrive_and_wait();
      for (int i = 0; i < kEventsPerThread; ++i) {
        const std::string id = "evt_" + std::to_string(thread) + "_" + std::to_string(i);
        Status status = replica.Write(
            [&](StoreTransaction& t) { return t.AppendAuditEvent(MakeAuditEvent("org_1", id, 1000 + i)); });
        if (!status.ok()) {
          std::lock_guard<std::mutex> lock(failures_mutex);
          failures.push_back(id + ": " + status.message());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " appends failed, the first: " << failures.front();

  std::vector<AuditEvent> events;
  ASSERT_TRUE(first->Read([&](StoreTransaction& t) -> Status {
    AuditQuery all;
    all.limit = 1000;
    RAMPART_ASSIGN_OR_RETURN(events, t.ListAuditEvents("org_1", all));
    return Status::Ok();
  }).ok());
  ASSERT_EQ(events.size(), static_cast<size_t>(kThreads * kEventsPerThread));
  ChainVerifier verifier;
  std::set<std::string> ids;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].chain_index, static_cast<int64_t>(i + 1)) << "event " << events[i].id;
    ids.insert(events[i].id);
    verifier.Add(events[i]);
  }
  EXPECT_EQ(ids.size(), events.size());
  std::vector<ChainReport> reports = verifier.Reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports.front().events, kThreads * kEventsPerThread);
  EXPECT_FALSE(reports.front().broken.has_value()) << reports.front().broken->reason << " at event "
                                                   << reports.front().broken->event_id;
}

TEST_F(PgStore, WatchChangesCallsBackWhenAnotherReplicaCommits) {
  CallCounter counter;  // before the stores: their listener threads call it
  PgStoreOptions no_polling;
  no_polling.change_poll_ms = 10 * 60 * 1000;  // only a notification can call back within the test
  std::unique_ptr<postgres::PgStore> writer, watcher;
  ASSERT_NO_FATAL_FAILURE(OpenReplica(writer, database_.url()));
  ASSERT_NO_FATAL_FAILURE(OpenReplica(watcher, database_.url(), no_polling));
  watcher->WatchChanges(counter.Callback());
  // The first call comes once the listener is connected: from then on it hears every commit.
  ASSERT_TRUE(counter.WaitForMoreThan(0, milliseconds(10000))) << "no call after connecting";

  int calls = counter.calls();
  Status rolled_back = writer->Write([](StoreTransaction& t) -> Status {
    RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_0", "rolled-back")));
    return Status::InvalidArgument("name", "rejected", "test");
  });
  ASSERT_EQ(rolled_back.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(counter.WaitForMoreThan(calls, milliseconds(300))) << "called back for a write that never committed";

  calls = counter.calls();
  ASSERT_TRUE(writer->Write([](StoreTransaction& t) {
    return t.InsertOrganization(MakeOrganization("org_1", "acme"));
  }).ok());
  ASSERT_TRUE(counter.WaitForMoreThan(calls, milliseconds(10000))) << "no call after the other replica committed";
  // Called back after the commit, not before: the watcher reads what was committed.
  Status read = watcher->Read([](StoreTransaction& t) { return t.GetOrganization("org_1").status(); });
  EXPECT_TRUE(read.ok()) << read.message();
}

TEST_F(PgStore, WatchChangesWithNullptrStopsTheCallbacks) {
  CallCounter counter;
  PgStoreOptions fast_polling;
  fast_polling.change_poll_ms = 10;  // calls back every 10 ms, notified or not
  std::unique_ptr<postgres::PgStore> writer, watcher;
  ASSERT_NO_FATAL_FAILURE(OpenReplica(writer, database_.url()));
  ASSERT_NO_FATAL_FAILURE(OpenReplica(watcher, database_.url(), fast_polling));
  watcher->WatchChanges(counter.Callback());
  ASSERT_TRUE(counter.WaitForMoreThan(3, milliseconds(10000)));

  watcher->WatchChanges(nullptr);
  const int calls = counter.calls();
  ASSERT_TRUE(writer->Write([](StoreTransaction& t) {
    return t.InsertOrganization(MakeOrganization("org_1", "acme"));
  }).ok());
  EXPECT_FALSE(counter.WaitForMoreThan(calls, milliseconds(300))) << "called back after WatchChanges(nullptr) returned";
}

// Replicas started together migrate the same fresh database at once: one creates the schema,
// the other finds it done.
TEST_F(PgStore, ReplicasOpeningAFreshDatabaseAtOnceBothSucceed) {
  for (int round = 0; round < 3; ++round) {
    TemporaryDatabase fresh;
    ASSERT_TRUE(fresh.Create().ok());
    std::latch start(2);
    Result<std::unique_ptr<postgres::PgStore>> opened[2] = {Status::Internal("not run"), Status::Internal("not run")};
    std::thread replicas[2];
    for (int i = 0; i < 2; ++i) {
      replicas[i] = std::thread([&, i] {
        start.arrive_and_wait();
        opened[i] = postgres::PgStore::Open(fresh.url(), /*create_if_missing=*/true);
      });
    }
    for (std::thread& replica : replicas) replica.join();
    for (auto& store : opened) {
      ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.status().message();
      EXPECT_EQ((*store)->SchemaVersion(), postgres::PgMigrations().back().version);
    }
  }
}

TEST_F(PgStore, RefusesDatabaseWithoutSchemaWhenNotCreating) {
  auto store = postgres::PgStore::Open(database_.url(), /*create_if_missing=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedState);
  EXPECT_NE(store.status().message().find("rampartd bootstrap"), std::string::npos) << store.status().message();
}

TEST_F(PgStore, RefusesDatabaseFromNewerSchema) {
  ASSERT_TRUE(postgres::PgStore::Open(database_.url(), /*create_if_missing=*/true).ok());
  ASSERT_TRUE(PostgresServer::Execute(database_.url(),
                                      "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)").ok());
  auto store = postgres::PgStore::Open(database_.url(), /*create_if_missing=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedState);
  EXPECT_NE(store.status().message().find("schema version 999"), std::string::npos) << store.status().message();
}

// The shared test server's locale is C, where the contract suite's byte-order test cannot tell
// a byte-order column from a linguistic one; here the database orders text linguistically
// ("a" before "B"), and lists must still come back in byte order.
TEST_F(PgStore, ListsInByteOrderWhateverTheDatabaseCollation) {
  Result<PostgresServer*> server = PostgresServer::FromEnvironment();
  ASSERT_TRUE(server.ok()) << server.status().message();
  const std::string name = "rt_" + RandomHex(8);
  Status created = PostgresServer::Execute(
      (*server)->admin_url(), "CREATE DATABASE " + name + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
  ASSERT_TRUE(created.ok()) << created.message();
  const std::string url = (*server)->DatabaseUrl(name);
  struct DropOnExit {
    PostgresServer& server;
    const std::string& url;
    ~DropOnExit() { EXPECT_TRUE(server.DropDatabase(url).ok()); }
  } drop{**server, url};
  {
    std::unique_ptr<postgres::PgStore> store;
    ASSERT_NO_FATAL_FAILURE(OpenReplica(store, url));
    ASSERT_TRUE(store->Write([](StoreTransaction& t) -> Status {
      RAMPART_RETURN_IF_ERROR(t.InsertOrganization(MakeOrganization("org_1", "acme")));
      for (const char* workspace : {"a", "B", "_x", "b"}) {
        RAMPART_RETURN_IF_ERROR(t.Workspaces().Insert(MakeWorkspace("org_1", std::string("ws") + workspace, workspace)));
      }
      return Status::Ok();
    }).ok());
    std::vector<std::string> names;
    ListQuery page;
    page.limit = 2;
    page.after_name = "B";
    page.after_id = "wsB";
    ASSERT_TRUE(store->Read([&](StoreTransaction& t) -> Status {
      RAMPART_ASSIGN_OR_RETURN(std::vector<Workspace> rows, t.Workspaces().List("org_1", "", ListQuery{}));
      for (const Workspace& row : rows) names.push_back(row.meta.name);
      RAMPART_ASSIGN_OR_RETURN(rows, t.Workspaces().List("org_1", "", page));
      for (const Workspace& row : rows) names.push_back(row.meta.name);
      return Status::Ok();
    }).ok());
    EXPECT_EQ(names, (std::vector<std::string>{"B", "_x", "a", "b", "_x", "a"}));
  }
}

// A server stopped and started again (a failover, a restart for an upgrade): the store says
// so while it is down and serves again once it is back, with no one restarting rampartd.
TEST_F(PgStore, HealthFollowsTheServerDownAndBackUp) {
  auto server = PostgresServer::Start();  // a private server: this test stops it
  ASSERT_TRUE(server.ok()) << server.status().message();
  CallCounter changes;
  Result<std::string> url = (*server)->CreateDatabase();
  ASSERT_TRUE(url.ok()) << url.status().message();
  // One replica watches changes (rampartd serve), whose listener notices the outage; the
  // other does not, and probes the server when asked.
  PgStoreOptions no_polling;
  no_polling.change_poll_ms = 10 * 60 * 1000;  // the listener calls back on reconnection only
  std::unique_ptr<postgres::PgStore> watching, probing;
  ASSERT_NO_FATAL_FAILURE(OpenReplica(watching, *url, no_polling));
  ASSERT_NO_FATAL_FAILURE(OpenReplica(probing, *url));
  watching->WatchChanges(changes.Callback());
  // Called once connected: the outage below cuts a connection, not a first attempt.
  ASSERT_TRUE(changes.WaitForMoreThan(0, milliseconds(10000)));
  auto write = [](postgres::PgStore& store, const std::string& id) {
    return store.Write([&](StoreTransaction& t) { return t.InsertOrganization(MakeOrganization(id, id)); });
  };
  ASSERT_TRUE(write(*watching, "org_1").ok());
  EXPECT_TRUE(WaitUntil([&] { return watching->Health().ok(); }, milliseconds(10000)));
  EXPECT_TRUE(probing->Health().ok()) << probing->Health().message();

  ASSERT_TRUE((*server)->Stop().ok());
  for (postgres::PgStore* store : {watching.get(), probing.get()}) {
    EXPECT_TRUE(WaitUntil([&] { return store->Health().code() == StatusCode::kUnavailable; }, milliseconds(10000)))
        << store->Health().message();
    EXPECT_NE(store->Health().message().find("unreachable"), std::string::npos) << store->Health().message();
  }
  EXPECT_EQ(write(*probing, "org_2").code(), StatusCode::kUnavailable);

  const int calls_before_restart = changes.calls();
  ASSERT_TRUE((*server)->Restart().ok());
  // The listener retries with a backoff of at most 5 s.
  for (postgres::PgStore* store : {watching.get(), probing.get()}) {
    EXPECT_TRUE(WaitUntil([&] { return store->Health().ok(); }, milliseconds(15000))) << store->Health().message();
  }
  // Notifications sent during the outage are lost: the reconnected listener calls back anyway.
  EXPECT_TRUE(changes.WaitForMoreThan(calls_before_restart, milliseconds(5000))) << "no call after reconnecting";
  // Pooled connections died with the server: the first write after it is back must not fail.
  Status after_watching = write(*watching, "org_3");
  EXPECT_TRUE(after_watching.ok()) << after_watching.message();
  Status after_probing = write(*probing, "org_4");
  EXPECT_TRUE(after_probing.ok()) << after_probing.message();
}

TEST_F(PgStore, OpenOfAnUnreachableServerNamesItWithoutThePassword) {
  const std::string host_port = "127.0.0.1:" + std::to_string(UnusedLoopbackPort());
  for (const std::string& url : {"postgres://rampart:hunter2secret@" + host_port + "/rt_down",
                                 "postgres://rampart@" + host_port + "/rt_down?password=hunter2secret"}) {
    auto store = postgres::PgStore::Open(url, /*create_if_missing=*/true);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), StatusCode::kFailedState) << store.status().message();
    EXPECT_NE(store.status().message().find(host_port), std::string::npos) << store.status().message();
    EXPECT_EQ(store.status().message().find("hunter2secret"), std::string::npos) << store.status().message();
  }
}

}  // namespace
// No password survives, whatever characters it holds or wherever the URL puts it.
TEST(DatabaseUrl, RedactsEveryPassword) {
  for (const char* url : {"postgres://u:s3cret@h:5432/db", "postgres://u:pa/s3cret@h/db",
                                 "postgres://u:p?s3cret@h/db", "postgres://u:p@s3cret@h/db",
                                 "postgres://u@h/db?password=s3cret&sslmode=require",
                                 "host=h user=u password=s3cret dbname=db", "host=h password='a s3cret' dbname=db"}) {
    const std::string redacted = postgres::RedactUrl(url);
    EXPECT_EQ(redacted.find("s3cret"), std::string::npos) << url << " -> " << redacted;
    EXPECT_NE(redacted.find("***"), std::string::npos) << url << " -> " << redacted;
  }
  EXPECT_EQ(postgres::RedactUrl("postgres://u@h:5432/db"), "postgres://u@h:5432/db");
  EXPECT_EQ(postgres::DescribeDatabase("postgres://u:s3cret@h:6543/db"), "h:6543/db");
  EXPECT_EQ(postgres::DescribeDatabase("postgres://u:s3cret@[bad"), "an unparseable database URL");
}

}  // namespace rampart::testing
