// HDR environment maps for nerva-assetgen: equirectangular (2:1, +Y up, the
// mapping of shaders/shared/env_sampling.h), linear radiance, written as
// Radiance .hdr. Deterministic: own hash and noise, fixed seeds.
#pragma once

#include "renderer/image/image.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nerva::assetgen {

struct WrittenEnvironment {
    std::string name;
    std::filesystem::path file;
    uint32_t width = 0, height = 0;
    uintmax_t bytes = 0;
};

// A late-afternoon sky: a warm horizon under a deep blue zenith, a sun disk
// 1.5 degrees across (luminance ~1600) 18 degrees up with a soft glow, clouds
// from hash-based value noise, a dark ground. Sky radiance is ~0.2-2.
ImageRGBA32F makeSunsetSky(uint32_t width, uint32_t height);

// Writes every environment map under outDir: env/sunset.hdr (512x256).
std::vector<WrittenEnvironment> writeEnvironmentMaps(const std::filesystem::path& outDir);

} // namespace nerva::assetgen
