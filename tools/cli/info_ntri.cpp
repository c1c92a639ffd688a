// nerva info FIELD.ntri: a summary of a tri-plane field file
// (docs/ntri-format.md): kind, planes, MLP, transform, fit settings, metrics.
#include "commands.h"

#include "neural/formats/ntri.h"

#include <cstdio>
#include <filesystem>

namespace nerva::cli {

int infoTriplaneField(const std::string& path) {
    // Read (and fully verify) first: a bad file prints only the error line.
    const formats::NtriAsset asset = formats::readNtri(path);
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    std::printf("%s", path.c_str());
    if (!ec) std::printf(" (%llu bytes)", static_cast<unsigned long long>(bytes));
    std::printf("\n%s", formats::ntriSummary(asset).c_str());
    return 0;
}

} // namespace nerva::cli
