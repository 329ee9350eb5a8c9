// IndexingStore: a Store decorator that keeps an AccessIndex in step with what is committed,
// by this process or by any other replica sharing the database.
//
// Every write transaction runs through a transaction wrapper that records, in the store's
// change log, the indexed objects its inserts, updates and deletes touch. Once the inner
// store has committed, the index catches up with the change log (CatchUp): it re-reads each
// object changed since the last change it applied and puts it (or removes it when it is
// gone). Writes of other replicas arrive the same way, when the inner store reports them
// (WatchChanges). One path keeps the index current whoever wrote; a check made after a
// write returns sees that write. A failed transaction changes neither the store nor the
// index. Reads go straight to the inner store.
//
// Thread-safe; borrows the inner store and the index, which must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "authz/access_index.h"
#include "store/store.h"

namespace rampart::authz {

// Puts one organization and everything of it that authorization uses into `index`.
Status LoadOrganization(StoreTransaction& transaction, const Organization& organization, AccessIndex& index);

class IndexingStore final : public Store {
 public:
  IndexingStore(Store& inner, AccessIndex& index) : inner_(inner), index_(index) {}
  ~IndexingStore() override;

  // Fills the index with everything the inner store holds (at start).
  Status Load();
  // From now on, catches up whenever another process commits (serve calls it once loaded).
  void FollowOtherWriters();

  Status Read(const TransactionFunction& work) override { return inner_.Read(work); }
  Status Write(const TransactionFunction& work) override;
  // Changes with every change applied to the index, whoever committed it. 0 (keep nothing
  // read) while the index lags behind a commit it could not apply: what was read before it
  // may be what that commit revoked, so callers read again, and fail closed without the
  // database.
  uint64_t CommitCount() const override { return lagging_.load() ? 0 : applied_.load() + 1; }
  // The inner store's health, and whether the index keeps up with the change log.
  Status Health() override;

  // Applies to the index every change committed since the last one applied.
  Status CatchUp();
  // The newest change number the index has applied: every write numbered up to it is
  // visible to checks here.
  uint64_t AppliedChange() const { return applied_.load(); }
  // Returns once change `change` (answered to the caller before it asked) is applied: at once
  // when a catch-up reaches it; kUnavailable (reason replica_behind) when the database does
  // not hold it, or when it cannot be read for `limit`.
  Status AwaitChange(uint64_t change, std::chrono::milliseconds limit);
  // Forgets the change log up to `keep` changes before the newest, so it does not grow
  // without end. A replica further behind than that reloads its whole index.
  Status PruneChangeLog(uint64_t keep);

 private:
  // Empties the index and loads it again from a snapshot: the change log no longer reaches
  // back to what the index applied.
  Status Reload();
  void Applied(uint64_t change, const Status& status);

  Store& inner_;
  AccessIndex& index_;
  std::mutex catch_up_mutex_;  // one catch-up at a time, so changes apply in order
  std::atomic<uint64_t> applied_{0};
  std::mutex applied_mutex_;  // guards catch_up_status_; with applied_changed_
  std::condition_variable applied_changed_;
  Status catch_up_status_;  // of the last catch-up: why the index may lag
  std::atomic<bool> lagging_{false};  // catch_up_status_ is an error
  bool following_ = false;
};

}  // namespace rampart::authz
