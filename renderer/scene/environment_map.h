// HDR environment maps on the CPU: an equirectangular radiance image plus the
// tables that importance-sample it (shaders/shared/env_sampling.h documents
// the mapping, the distribution and the table layout). No Vulkan here: the GPU
// side uploads rgb, func, marginalCdf and conditionalCdf as float buffers and
// fills a shared::GpuEnvMap with their addresses, width, height and integral.
//
// Every map comes through one builder, so a loaded .hdr/.exr, the baked
// procedural sky and a constant colour all take the same sampling path.
#pragma once

#include "renderer/image/image.h"
#include "shaders/shared/env_sampling.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nerva {

struct EnvironmentMap {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<float> rgb;            // 3 * width * height, linear radiance, row 0 = top (+Y)
    std::vector<float> func;           // width * height, the sampling function
    std::vector<float> marginalCdf;    // height + 1, from 0 to 1
    std::vector<float> conditionalCdf; // height * (width + 1), each row from 0 to 1
    float integral = 0.0f;             // mean of func over [0,1]^2

    // A host view of the tables for the shared functions; rotation in radians
    // about +Y (see env_sampling.h). Valid while this map lives unchanged.
    shared::EnvTables tables(float rotation = 0.0f) const;

    // The shared functions, run on the CPU. Directions are world directions;
    // radiance is before the caller's intensity.
    shared::EnvSample sample(glm::vec2 u, float rotation = 0.0f) const;
    float pdf(glm::vec3 dir, float rotation = 0.0f) const;
    glm::vec3 radiance(glm::vec3 dir, float rotation = 0.0f) const;
};

// An equirectangular .hdr or .exr. Throws nerva::Error, one line naming the
// file: unreadable or corrupt file, another format, width or height zero or
// above shared::kEnvMaxSize, not 2:1 (width = 2 x height, +-1 for rounding),
// a NaN, infinite or negative texel (the first one, by its coordinate).
EnvironmentMap loadEnvironmentMap(const std::string& path);

// The same checks and tables for an image in memory; `name` starts the error
// lines. Alpha is ignored.
EnvironmentMap environmentFromImage(const ImageRGBA32F& image, const std::string& name);

// shaders/shared/environment.h's proceduralSky() at the texel centres of a
// width x height map (2:1), so the default sky is importance-sampled too.
EnvironmentMap bakeProceduralSky(uint32_t width, uint32_t height);

// A 1x1 map of one radiance: uniform sphere sampling, pdf 1 / (4 pi).
EnvironmentMap constantEnvironment(glm::vec3 rgb);

} // namespace nerva
