#include "support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "common/random.h"

extern char** environ;

namespace rampart::testing {
namespace {

namespace fs = std::filesystem;

Status HarnessError(std::string message) {
  return Status::Error(StatusCode::kFailedState, "test PostgreSQL: " + std::move(message));
}

// Runs `argv` (argv[0] searched on PATH) in `directory` to the end; its stdout and stderr
// together, or an error holding them unless it exits 0.
Result<std::string> RunProgram(const std::vector<std::string>& argv, const std::string& directory) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return HarnessError("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  // Under root the programs run as `postgres`, which may not enter the caller's directory.
  if (!directory.empty()) posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  std::string output;
  char buffer[4096];
  ssize_t read_bytes = 0;
  while (spawned == 0 && (read_bytes = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    output.append(buffer, static_cast<size_t>(read_bytes));
  }
  close(pipe_fds[0]);
  if (spawned != 0) return HarnessError("cannot run " + argv[0] + ": " + std::strerror(spawned));
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string command;
    for (const std::string& arg : argv) command += (command.empty() ? "" : " ") + arg;
    return HarnessError("`" + command + "` failed:\n" + output);
  }
  return output;
}

// initdb and pg_ctl refuse to run as root: then they run as `postgres`.
std::vector<std::string> AsClusterOwner(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

Result<std::string> ServerBinDir() {
  // Never destroyed: the shared server's destructor runs at exit and needs it.
  static const auto* found = new Result<std::string>([]() -> Result<std::string> {
    Result<std::string> output = RunProgram({"pg_config", "--bindir"}, "");
    if (!output.ok()) {
      return HarnessError("`pg_config --bindir` failed (install postgresql and libpq-dev: .ci/setup.sh): " +
                          output.status().message());
    }
    std::string dir = output.value().substr(0, output.value().find_last_not_of(" \n") + 1);
    if (!fs::exists(fs::path(dir) / "initdb")) {
      return HarnessError("no initdb in " + dir + ": install the postgresql server package (.ci/setup.sh)");
    }
    return dir;
  }());
  return *found;
}

Result<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return HarnessError("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
               getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!bound) return HarnessError("no free loopback port");
  return static_cast<int>(ntohs(address.sin_port));
}

// Creates an empty directory under the temp dir that the cluster's user owns.
Result<std::string> MakeClusterDir() {
  std::string pattern = (fs::temp_directory_path() / "rampart-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return HarnessError("cannot create a directory in /tmp");
  if (geteuid() == 0) {
    const passwd* owner = getpwnam("postgres");
    if (owner == nullptr || chown(pattern.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
      fs::remove_all(pattern);
      return HarnessError("running as root needs a `postgres` user to own the cluster (install postgresql)");
    }
  }
  return pattern;
}

Status StartCluster(const std::string& cluster_dir, bool fsync) {
  RAMPART_ASSIGN_OR_RETURN(std::string bin, ServerBinDir());
  const std::string data = cluster_dir + "/data";
  std::vector<std::string> initdb = {bin + "/initdb", "-D", data, "-A", "trust", "-U", "rampart",
                                     "-E", "UTF8", "--locale=C", "--no-instructions"};
  if (!fsync) initdb.push_back("--no-sync");
  RAMPART_RETURN_IF_ERROR(RunProgram(AsClusterOwner(initdb), cluster_dir).status());
  // Without fsync a commit costs no disk flush: the unit suites never cut power.
  std::string settings = fsync ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  Status started = Status::Ok();
  // The port is free when chosen, but another process may take it before postgres binds it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    RAMPART_ASSIGN_OR_RETURN(int port, FreeLoopbackPort());
    std::string options = "-h 127.0.0.1 -p " + std::to_string(port) + " -k '" + cluster_dir +
                          "' -c max_connections=200" + settings;
    started = RunProgram(AsClusterOwner({bin + "/pg_ctl", "-w", "-t", "60", "-D", data, "-l",
                                         cluster_dir + "/postgres.log", "-o", options, "start"}),
                         cluster_dir)
                  .status();
    if (started.ok()) {
      std::ofstream(cluster_dir + "/port") << port << "\n";
      return started;
    }
  }
  std::ifstream log(cluster_dir + "/postgres.log");
  std::string log_text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  return HarnessError(started.message() + "\npostgres.log:\n" + log_text);
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

// Where the path of a postgres:// URL (the database) starts: the '/' after host:port.
size_t PathStart(const std::string& url) {
  size_t authority = url.find("://");
  return url.find('/', authority == std::string::npos ? 0 : authority + 3);
}

// The database a URL names: its path, without the query.
std::string DatabaseNameOf(const std::string& url) {
  size_t path = PathStart(url);
  if (path == std::string::npos) return "";
  return url.substr(path + 1, url.find('?', path) - path - 1);
}

}  // namespace

bool TestsUsePostgres() {
  const char* store = std::getenv("RAMPART_TEST_STORE");
  std::string value = store == nullptr ? "" : store;
  if (value == "postgres") return true;
  if (value.empty() || value == "sqlite") return false;
  // A misspelling must not quietly run the SQLite suite under a `pg.` name.
  throw std::invalid_argument("RAMPART_TEST_STORE=" + value + ": want postgres or sqlite");
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::Start(bool fsync) {
  RAMPART_ASSIGN_OR_RETURN(std::string cluster_dir, MakeClusterDir());
  Status started = StartCluster(cluster_dir, fsync);
  if (!started.ok()) {
    StopCluster(cluster_dir);
    return started;
  }
  std::string url = "postgres://rampart@127.0.0.1:" + ReadFirstLine(cluster_dir + "/port") + "/postgres";
  return std::unique_ptr<PostgresServer>(new PostgresServer(url, cluster_dir, /*owned=*/true));
}

Result<PostgresServer*> PostgresServer::FromEnvironment() {
  static std::mutex mutex;
  static std::unique_ptr<PostgresServer> shared;  // stopped at exit when this process started it
  std::lock_guard<std::mutex> lock(mutex);
  if (shared) return shared.get();
  const char* url = std::getenv("RAMPART_TEST_DATABASE_URL");
  const char* url_file = std::getenv("RAMPART_TEST_DATABASE_URL_FILE");
  if (url != nullptr && *url != '\0') {
    shared.reset(new PostgresServer(url, "", /*owned=*/false));
  } else if (url_file != nullptr && *url_file != '\0') {
    std::string admin_url = ReadFirstLine(url_file);
    if (admin_url.empty()) {
      return HarnessError(std::string("RAMPART_TEST_DATABASE_URL_FILE=") + url_file +
                          " holds no URL: did the ctest fixture pg.postgres_start run?");
    }
    shared.reset(new PostgresServer(admin_url, "", /*owned=*/false));
  } else {
    RAMPART_ASSIGN_OR_RETURN(shared, Start());
  }
  return shared.get();
}

Status PostgresServer::StopCluster(const std::string& cluster_dir) {
  if (cluster_dir.empty() || !fs::exists(cluster_dir)) return Status::Ok();
  Status stopped = Status::Ok();
  const std::string data = cluster_dir + "/data";
  if (fs::exists(data + "/postmaster.pid")) {
    RAMPART_ASSIGN_OR_RETURN(std::string bin, ServerBinDir());
    stopped = RunProgram(AsClusterOwner({bin + "/pg_ctl", "-w", "-D", data, "-m", "fast", "stop"}),
                         cluster_dir)
                  .status();
  }
  std::error_code ignored;
  fs::remove_all(cluster_dir, ignored);
  return stopped;
}

Status PostgresServer::Execute(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  Status status = Status::Ok();
  if (PQstatus(connection) != CONNECTION_OK) {
    status = HarnessError("cannot connect to database " + DatabaseNameOf(url) + ": " +
                          PQerrorMessage(connection));
  } else {
    // NOTICEs ("does not exist, skipping") are not problems: keep them off the test output.
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
    PGresult* result = PQexec(connection, sql.c_str());
    ExecStatusType outcome = PQresultStatus(result);
    if (outcome != PGRES_COMMAND_OK && outcome != PGRES_TUPLES_OK) {
      status = HarnessError(sql + ": " + PQresultErrorMessage(result));
    }
    PQclear(result);
  }
  PQfinish(connection);
  return status;
}

Status PostgresServer::Stop() {
  if (cluster_dir_.empty()) return HarnessError("Stop: this object did not start the server");
  RAMPART_ASSIGN_OR_RETURN(std::string bin, ServerBinDir());
  return RunProgram(AsClusterOwner({bin + "/pg_ctl", "-w", "-D", cluster_dir_ + "/data", "-m", "fast", "stop"}),
                    cluster_dir_)
      .status();
}

Status PostgresServer::Restart() {
  if (cluster_dir_.empty()) return HarnessError("Restart: this object did not start the server");
  RAMPART_ASSIGN_OR_RETURN(std::string bin, ServerBinDir());
  // Without -o, `restart` runs postgres with the options of its last start (data/postmaster.opts:
  // port, socket dir, settings), and starts a stopped server too.
  return RunProgram(AsClusterOwner({bin + "/pg_ctl", "-w", "-t", "60", "-D", cluster_dir_ + "/data", "-l",
                                    cluster_dir_ + "/postgres.log", "restart"}),
                    cluster_dir_)
      .status();
}

PostgresServer::~PostgresServer() {
  if (!owned_) return;
  Status stopped = StopCluster(cluster_dir_);
  if (!stopped.ok()) fprintf(stderr, "%s\n", stopped.message().c_str());
}

std::string PostgresServer::DatabaseUrl(const std::string& name) const {
  size_t path = PathStart(admin_url_);
  if (path == std::string::npos) return admin_url_ + "/" + name;
  size_t query = admin_url_.find('?', path);
  return admin_url_.substr(0, path) + "/" + name +
         (query == std::string::npos ? "" : admin_url_.substr(query));
}

Result<std::string> PostgresServer::CreateDatabase() {
  const std::string name = "rt_" + RandomHex(8);
  RAMPART_RETURN_IF_ERROR(Execute(admin_url_, "CREATE DATABASE " + name));
  return DatabaseUrl(name);
}

Status PostgresServer::DropDatabase(const std::string& url) {
  const std::string name = DatabaseNameOf(url);
  if (name.rfind("rt_", 0) != 0 || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") !=
                                        std::string::npos) {
    return HarnessError("refusing to drop database \"" + name + "\": not one CreateDatabase made");
  }
  return Execute(admin_url_, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

Status TemporaryDatabase::Create() {
  RAMPART_ASSIGN_OR_RETURN(server_, PostgresServer::FromEnvironment());
  RAMPART_ASSIGN_OR_RETURN(url_, server_->CreateDatabase());
  return Status::Ok();
}

TemporaryDatabase::~TemporaryDatabase() {
  if (url_.empty()) return;
  Status dropped = server_->DropDatabase(url_);
  if (!dropped.ok()) fprintf(stderr, "%s\n", dropped.message().c_str());
}

}  // namespace rampart::testing
