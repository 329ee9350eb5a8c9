// UTF-8 validity, for what arrives outside JSON bodies (whose parser checks it): the
// request path and query. PostgreSQL refuses text that is not UTF-8, so the daemon rejects
// it first, the same way on every store.
#pragma once

#include <string_view>

namespace rampart {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace rampart
