#include "authz/text_table.h"

#include <cstring>
#include <functional>

namespace rampart::authz {

uint64_t TextLookup::Hash(std::string_view text) {
  return std::hash<std::string_view>{}(text) * 0x9e3779b97f4a7c15ULL;  // spread the low bits
}

std::string_view TextLookup::Unpack(const char* stored) {
  uint32_t size;
  std::memcpy(&size, stored, sizeof(size));
  return std::string_view(stored + sizeof(size), size);
}

void TextLookup::Insert(uint32_t id, const TextTable& texts) {
  if (Find(texts.Text(id)) != kMissing) return;
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  uint64_t hash = Hash(texts.Text(id));
  Place(Slot{static_cast<uint32_t>(hash >> 32), id, texts.Stored(id)}, hash);
  ++size_;
}

void TextLookup::Place(const Slot& slot, uint64_t hash) {
  size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    if (slots_[at].id == kMissing) {
      slots_[at] = slot;
      return;
    }
  }
}

void TextLookup::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  for (const Slot& slot : old) {
    if (slot.id != kMissing) Place(slot, Hash(Unpack(slot.stored)));
  }
}

uint64_t TextLookup::Prefetch(std::string_view text) const {
  uint64_t hash = Hash(text);
  if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  return hash;
}

uint32_t TextLookup::Find(std::string_view text, uint64_t hash) const {
  if (slots_.empty()) return kMissing;
  uint32_t tag = static_cast<uint32_t>(hash >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const Slot& slot = slots_[at];
    if (slot.id == kMissing) return kMissing;
    if (slot.tag == tag && Unpack(slot.stored) == text) return slot.id;
  }
}

TextTable::TextTable() { texts_.emplace_back(); }

uint32_t TextTable::Intern(std::string_view text) {
  if (text.empty()) return 0;
  uint32_t found = Find(text);
  if (found != 0) return found;
  const size_t stored_size = sizeof(uint32_t) + text.size();
  char* stored;
  if (stored_size > kChunkSize / 4) {  // a long text gets an allocation of its own
    long_texts_.push_back(std::make_unique<char[]>(stored_size));
    stored = long_texts_.back().get();
  } else {
    if (chunk_used_ + stored_size > kChunkSize) {
      chunks_.push_back(std::make_unique<char[]>(kChunkSize));
      chunk_used_ = 0;
    }
    stored = chunks_.back().get() + chunk_used_;
    chunk_used_ += stored_size;
  }
  uint32_t size = static_cast<uint32_t>(text.size());
  std::memcpy(stored, &size, sizeof(size));
  std::memcpy(stored + sizeof(size), text.data(), text.size());
  uint32_t id = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(stored + sizeof(size), text.size());
  lookup_.Insert(id, *this);
  return id;
}

}  // namespace rampart::authz
