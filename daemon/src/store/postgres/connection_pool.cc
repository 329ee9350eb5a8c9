#include "store/postgres/connection_pool.h"

namespace rampart::postgres {

void ConnectionPool::Lease::Discard() {
  connection_.reset();
  std::lock_guard<std::mutex> lock(pool_.mutex_);
  pool_.idle_.clear();
}

std::unique_ptr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_ptr<PgConnection> connection;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    returned_.wait(lock, [&] { return lent_ < capacity_; });
    ++lent_;
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (connection == nullptr) {
    // Connecting takes a round trip or a timeout: never under the mutex.
    try {
      connection = PgConnection::Connect(url_);
    } catch (const PgError& error) {
      health_.Unreachable(error.what());
      Return(nullptr);
      throw;
    }
  }
  return std::make_unique<Lease>(*this, std::move(connection));
}

void ConnectionPool::Adopt(std::unique_ptr<PgConnection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(connection));
}

void ConnectionPool::Return(std::unique_ptr<PgConnection> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --lent_;
    // Only a connection outside any transaction is fit for the next one.
    if (connection != nullptr && connection->Usable() && PQtransactionStatus(connection->raw()) == PQTRANS_IDLE) {
      idle_.push_back(std::move(connection));
    }
  }
  returned_.notify_one();
}

}  // namespace rampart::postgres
