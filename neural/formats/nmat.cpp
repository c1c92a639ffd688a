// The `.nmat` reader and writer; byte layout in docs/nmat-format.md.
#include "neural/formats/nmat_detail.h"

#include "neural/core/error.h"
#include "neural/formats/chunked_file.h"

#include <string_view>

namespace nerva::formats {

namespace {

using chunked::Chunk;
using detail::latentValueCount;
using detail::netLabel;
using detail::printable;
using nlohmann::json;

// The container (magic, version, chunks, CRCs) is shared with `.ntri`.
const chunked::Container kContainer{"NMAT", ".nmat", kNmatFormatVersion};

} // namespace

std::string encodeNmat(const NmatAsset& a, const std::string& where) {
    validateNmat(a, where);
    std::string head;
    try {
        head = detail::headerJson(a).dump(); // objects are key-sorted: deterministic
    } catch (const json::exception& e) {
        throw errorAt(where, "header cannot be encoded (" + printable(e.what()) + ")");
    }
    std::string latn;
    latn.reserve(2 * latentValueCount(a));
    for (const NmatLatentLevel& l : a.levels)
        chunked::putHalves(latn, l.texels);
    std::vector<std::string> netw(a.networks.size());
    std::vector<Chunk> chunks{{"HEAD", head}, {"LATN", latn}};
    for (size_t i = 0; i < a.networks.size(); ++i) {
        chunked::putHalves(netw[i], a.networks[i].params);
        chunks.push_back({"NETW", netw[i]});
    }
    return chunked::encodeChunks(kContainer, chunks);
}

NmatAsset decodeNmat(const std::string& bytes, const std::string& where) {
    const chunked::DecodedChunks file = chunked::decodeChunks(bytes, kContainer, where);
    const std::vector<Chunk>& chunks = file.chunks;
    // Interpret the known chunks; others are skipped (forward compatible).
    auto only = [&](const char* tag) {
        return chunked::findChunk(chunks, tag, true, where)->payload;
    };
    NmatAsset a = detail::parseHeader(only("HEAD"), where);
    a.version = file.version;
    const std::string_view latn = only("LATN");
    if (latn.size() != 2 * latentValueCount(a))
        throw errorAt(where, "chunk LATN holds " + std::to_string(latn.size()) +
                                 " bytes, the header's latent levels need " +
                                 std::to_string(2 * latentValueCount(a)));
    for (size_t i = 0, offset = 0; i < a.levels.size(); ++i) {
        NmatLatentLevel& l = a.levels[i];
        const size_t n = 2 * size_t(l.width) * l.height * a.latentChannels;
        chunked::getHalves(latn.substr(offset, n), l.texels,
                           where + ": latent level " + std::to_string(i) + ":");
        offset += n;
    }
    size_t net = 0;
    for (const Chunk& c : chunks) {
        if (c.tag != "NETW") continue;
        if (net == a.networks.size())
            throw errorAt(where, "more NETW chunks than the header's " +
                                     std::to_string(a.networks.size()) + " networks");
        NmatNetwork& n = a.networks[net++];
        if (c.payload.size() != 2 * nmatParamCount(n.layers))
            throw errorAt(where, "chunk NETW of " + netLabel(n) + " holds " +
                                     std::to_string(c.payload.size()) + " bytes, its layers need " +
                                     std::to_string(2 * nmatParamCount(n.layers)));
        chunked::getHalves(c.payload, n.params, where + ": " + netLabel(n) + ":");
    }
    if (net != a.networks.size())
        throw errorAt(where, std::to_string(net) + " NETW chunks, the header lists " +
                                 std::to_string(a.networks.size()) + " networks");
    return a;
}

void writeNmat(const NmatAsset& asset, const std::string& path) {
    chunked::writeFileAtomically(path, encodeNmat(asset, path));
}

NmatAsset readNmat(const std::string& path) {
    return decodeNmat(chunked::readWholeFile(path), path);
}

} // namespace nerva::formats
