// nerva info MATERIAL.nmat: a summary of a neural material file
// (docs/nmat-format.md): latent pyramid, networks, training and metrics.
#include "commands.h"

#include "neural/formats/nmat.h"

#include <cstdio>
#include <filesystem>

namespace nerva::cli {

int infoNeuralMaterial(const std::string& path) {
    // Read (and fully verify) before printing anything: a bad file gives only
    // the error line, nothing on stdout.
    const formats::NmatAsset asset = formats::readNmat(path);
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    std::printf("%s", path.c_str());
    if (!ec) std::printf(" (%llu bytes)", static_cast<unsigned long long>(bytes));
    std::printf("\n%s", formats::nmatSummary(asset).c_str());
    return 0;
}

} // namespace nerva::cli
