// CSV as RFC 4180 writes it, for the exports people open in spreadsheets (access matrix,
// audit trail): every field quoted, rows ended by CRLF.
#pragma once

#include <string>
#include <vector>

namespace rampart {

// `value` quoted, with the quotes inside doubled.
std::string CsvField(const std::string& value);

// The fields as one row, CRLF included.
std::string CsvRow(const std::vector<std::string>& fields);

}  // namespace rampart
