// Internals shared by nmat.cpp (the chunks, over chunked_file.h) and nmat_header.cpp (the
// HEAD chunk's JSON, shape validation, the summary). Not a public API.
#pragma once

#include "neural/formats/nmat.h"

#include <string>
#include <string_view>

namespace nerva::formats::detail {

// `s` made safe inside a one-line message: bytes outside printable ASCII
// become \xNN, and more than 64 bytes are cut with "...".
std::string printable(std::string_view s);

// A header chunk's JSON, its nesting bounded so that nothing later recurses
// deeply: "<where>: header: JSON nested too deeply", or "<where>: <badJson>
// (<parser message>)" for text that is not JSON. Shared by .nmat and .ntri.
nlohmann::json parseHeaderJson(std::string_view text, const std::string& where,
                               const std::string& badJson);

// `network "<name>"` for messages.
std::string netLabel(const NmatNetwork& n);

// Latent values in all levels (width * height * channels summed).
uint64_t latentValueCount(const NmatAsset& a);

// The HEAD chunk's JSON: every field of `a` but the texels and parameters.
nlohmann::json headerJson(const NmatAsset& a);

// Parses a HEAD chunk into an asset without texels and parameters; its shapes
// are validated, so sizes computed from them cannot overflow u64. Throws
// nerva::Error "<where>: header: ..." on bad JSON, missing or mistyped fields.
NmatAsset parseHeader(std::string_view text, const std::string& where);

} // namespace nerva::formats::detail
