// TextTable: interned texts (ids, names) with dense 32-bit numbers, built for the access
// index's hot path.
//
// A million role assignments mean a million ids; a std::unordered_map<std::string, ...> costs
// about 100 bytes and three cache misses per lookup for each. Here the characters live in a
// chunked arena (they never move, so views of them stay valid) and lookups go through an
// open-addressing table of 8-byte slots: one probe, then one comparison of the text.
// TextLookup is that table alone, for a subset of a TextTable's texts that must stay in cache.
//
// Texts are never forgotten: an id keeps its number for the table's lifetime.
// Not thread-safe; the access index guards it with its own mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace rampart::authz {

class TextTable;

// Finds ids by text, among the ids inserted; the texts are a TextTable's.
class TextLookup {
 public:
  static constexpr uint32_t kMissing = 0;

  // Adds `id` (whose text is texts.Text(id)) unless it is there. REQUIRES: id != kMissing.
  void Insert(uint32_t id, const TextTable& texts);
  // The id whose text is `text`, or kMissing.
  uint32_t Find(std::string_view text) const { return Find(text, Hash(text)); }
  uint32_t Find(std::string_view text, uint64_t hash) const;  // hash: Hash(text)
  // Hash(text), after asking the processor to fetch where Find will probe: several lookups
  // prefetched before any is done overlap their cache misses.
  uint64_t Prefetch(std::string_view text) const;
  static uint64_t Hash(std::string_view text);
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint32_t tag = 0;  // the hash's upper half
    uint32_t id = kMissing;
    // The text as TextTable stores it (a 4-byte length, then the characters), so that a
    // probe compares without another lookup: one cache miss fewer on the hot path.
    const char* stored = nullptr;
  };
  void Grow();
  void Place(const Slot& slot, uint64_t hash);
  static std::string_view Unpack(const char* stored);

  std::vector<Slot> slots_;  // a power of two in size, at most 3/4 full
  size_t size_ = 0;
};

class TextTable {
 public:
  // Id 0 is the empty text.
  TextTable();

  // The id of `text`, adding it if it is new.
  uint32_t Intern(std::string_view text);
  // The id of `text`, or 0 when it was never interned.
  uint32_t Find(std::string_view text) const { return lookup_.Find(text); }
  // Valid for the table's lifetime.
  std::string_view Text(uint32_t id) const { return texts_[id]; }
  // Where the text is stored: its 4-byte length, then its characters.
  const char* Stored(uint32_t id) const { return texts_[id].data() - sizeof(uint32_t); }
  size_t size() const { return texts_.size(); }

 private:
  static constexpr size_t kChunkSize = 1 << 16;

  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<std::unique_ptr<char[]>> long_texts_;
  size_t chunk_used_ = kChunkSize;  // of the last chunk; full before the first
  std::vector<std::string_view> texts_;
  TextLookup lookup_;
};

}  // namespace rampart::authz
