// IndexingStore: a Store decorator that keeps an AccessIndex in step with what is committed.
//
// Every write transaction runs through a transaction wrapper that notes the index updates
// its inserts, updates and deletes imply; they are applied only once the inner store has
// committed, while a writer lock is still held, so the index sees commits in commit order
// and a check made after a write returns sees that write. A failed transaction changes
// neither the store nor the index. Reads go straight to the inner store.
//
// Thread-safe; borrows the inner store and the index, which must outlive it.
#pragma once

#include <mutex>

#include "authz/access_index.h"
#include "store/store.h"

namespace rampart::authz {

// Puts one organization and everything of it that authorization uses into `index`.
Status LoadOrganization(StoreTransaction& transaction, const Organization& organization, AccessIndex& index);

class IndexingStore final : public Store {
 public:
  IndexingStore(Store& inner, AccessIndex& index) : inner_(inner), index_(index) {}

  // Fills the index with everything the inner store holds (at start).
  Status Load();

  Status Read(const TransactionFunction& work) override { return inner_.Read(work); }
  Status Write(const TransactionFunction& work) override;
  uint64_t CommitCount() const override { return inner_.CommitCount(); }

 private:
  Store& inner_;
  AccessIndex& index_;
  std::mutex write_mutex_;  // orders commits and their index updates
};

}  // namespace rampart::authz
