#pragma once
// Writes a whole output file or nothing: a temporary file beside it, renamed
// into place only after every byte was written. A failed run never leaves a
// half-written report or checkpoint.
#include <functional>
#include <ostream>
#include <string>

namespace specmamba {

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& body);
void writeFileAtomically(const std::string& path, const std::string& content);

}  // namespace specmamba
