// Texture sets of car_paint, coated_leather and brushed_metal (see
// assets/materials/README.md for what each map holds).
#include "material_textures.h"

#include "material_textures_common.h"

namespace nerva::assetgen {

using namespace mtex;

// Deep red metallic paint: base colour with subtle mottling, a clouded
// flake coverage, per-texel flake tints, an orange-peel coat (normal and
// roughness) and a coat weight with light wear.
std::vector<MaterialMap> makeCarPaintTextures(int size, uint32_t seed) {
    Image8 base(size, size, 3), coverage(size, size, 3), flakeColour(size, size, 3);
    Image8 coatRoughness(size, size, 3), coatWeight(size, size, 3);
    HeightField peel(size, size);
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = texelCoord(x, size), t = texelCoord(y, size);
            const float mottle = fbm(s * 6, t * 6, 6, 6, 4, seed);
            const float cloud = fbm(s * 3, t * 3, 3, 3, 3, seed + 1);
            const Rgb paint{0.30f * (1.0f + 0.10f * mottle), 0.011f * (1.0f + 0.2f * cloud),
                            0.017f * (1.0f + 0.15f * mottle)};
            storeLinearColour(base, x, y, paint);
            storeScalar(coverage, x, y, clamp01(0.55f + 0.45f * cloud + 0.12f * mottle));
            // Flakes: red-tinted aluminium, from warm to slightly cooler.
            const float pick = 0.6f * hash01(x, y, seed + 2) +
                               0.4f * (0.5f + 0.5f * fbm(s * 16, t * 16, 16, 16, 2, seed + 3));
            const float bright = 0.8f + 0.2f * hash01(x, y, seed + 4);
            storeLinearColour(
                flakeColour, x, y,
                scale(mix(Rgb{0.90f, 0.16f, 0.10f}, Rgb{0.80f, 0.30f, 0.32f}, pick), bright));
            // Orange peel: a gentle bump field of ~20 texel wavelength.
            const float bumps = fbm(s * 48, t * 48, 48, 48, 2, seed + 5);
            peel.at(x, y) = bumps;
            const float haze = 0.5f + 0.5f * gradientNoise(s * 12, t * 12, 12, 12, seed + 6);
            storeScalar(coatRoughness, x, y, 0.22f + 0.25f * haze + 0.1f * std::abs(bumps));
            const float wear = smoothstep(0.3f, 0.55f, fbm(s * 5, t * 5, 5, 5, 4, seed + 7));
            const float speckle = hash01(x, y, seed + 8) > 0.985f ? 0.5f : 0.0f;
            storeScalar(coatWeight, x, y, 1.0f - 0.25f * wear * (0.6f + speckle));
        }
    }
    std::vector<MaterialMap> maps;
    maps.push_back({"base", std::move(base)});
    maps.push_back({"flake_coverage", std::move(coverage)});
    maps.push_back({"flake_color", std::move(flakeColour)});
    maps.push_back({"coat_roughness", std::move(coatRoughness)});
    maps.push_back({"coat_normal", normalMapFromHeight(peel, 0.25f)});
    maps.push_back({"coat_weight", std::move(coatWeight)});
    return maps;
}

// Brown pebbled leather: Voronoi grain (domed cells, dark creases), Oren-
// Nayar and specular roughness rougher in the creases, and a coat worn
// through in patches, mostly on the grain's tops. The grain maps are meant
// to be tiled 2x (uv scale 2); the coat maps 1x, with the grain drawn at
// twice the frequency so that both line up.
std::vector<MaterialMap> makeCoatedLeatherTextures(int size, uint32_t seed) {
    Image8 colour(size, size, 3), diffuseRoughness(size, size, 3), specularRoughness(size, size, 3);
    Image8 coatWeight(size, size, 3), coatRoughness(size, size, 3);
    HeightField grain(size, size);
    const int cells = 64;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = texelCoord(x, size), t = texelCoord(y, size);
            const Cellular c = cellular(s * cells, t * cells, cells, 0.85f, seed);
            const float edge = c.f2 - c.f1; // 0 on the cell borders
            const float rise = 1.0f - smoothstep(0.0f, 0.65f, edge);
            const float dome = 1.0f - rise * rise; // rounded pebbles
            const float fine = fbm(s * 128, t * 128, 128, 128, 2, seed + 1);
            const float cellTone = hash01(c.cellX, c.cellY, seed + 2);
            grain.at(x, y) = dome * (0.8f + 0.2f * cellTone) + 0.06f * fine;
            const float crease = 1.0f - smoothstep(0.0f, 0.3f, edge);
            const float tone = fbm(s * 4, t * 4, 4, 4, 3, seed + 3);
            const Rgb leather =
                scale(Rgb{0.16f, 0.066f, 0.029f},
                      (1.0f + 0.18f * tone + 0.08f * (cellTone - 0.5f)) * mix(1.0f, 0.5f, crease));
            storeLinearColour(colour, x, y, leather);
            storeScalar(diffuseRoughness, x, y, 0.55f + 0.3f * crease + 0.05f * tone);
            storeScalar(specularRoughness, x, y, 0.38f + 0.22f * crease + 0.04f * fine);
        }
    }
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = texelCoord(x, size), t = texelCoord(y, size);
            const float top = grain.at((2 * x) % size, (2 * y) % size);
            const float patches = smoothstep(0.05f, 0.45f, fbm(s * 3, t * 3, 3, 3, 5, seed + 5));
            const float worn = clamp01(patches * (0.35f + 0.8f * top));
            storeScalar(coatWeight, x, y, 0.95f - 0.85f * worn);
            const float haze = 0.5f + 0.5f * fbm(s * 8, t * 8, 8, 8, 2, seed + 6);
            storeScalar(coatRoughness, x, y, 0.12f + 0.22f * worn + 0.06f * haze);
        }
    }
    std::vector<MaterialMap> maps;
    maps.push_back({"color", std::move(colour)});
    maps.push_back({"base_normal", normalMapFromHeight(grain, 3.0f)});
    maps.push_back({"diffuse_roughness", std::move(diffuseRoughness)});
    maps.push_back({"specular_roughness", std::move(specularRoughness)});
    maps.push_back({"coat_weight", std::move(coatWeight)});
    maps.push_back({"coat_roughness", std::move(coatRoughness)});
    return maps;
}

// Brushed steel: brushing streaks along u (roughness, anisotropy, normal),
// a slightly varying f0 tint, random scratches (rougher, less anisotropic,
// grooves in the normal map), a thin lacquer missing in places and a little
// dust (sheen weight, low values).
std::vector<MaterialMap> makeBrushedMetalTextures(int size, uint32_t seed) {
    Image8 f0(size, size, 3), roughness(size, size, 3), anisotropy(size, size, 3);
    Image8 coatWeight(size, size, 3), dust(size, size, 3);
    HeightField scratches(size, size), height(size, size);
    Pcg32 rng(seed);
    for (int k = 0; k < 70; ++k) {
        const float x0 = rng.uniform() * size, y0 = rng.uniform() * size;
        const float angle = rng.uniform() * kPi, length = 40.0f + 260.0f * rng.uniform();
        const float width = 0.8f + 0.8f * rng.uniform(), depth = 0.35f + 0.65f * rng.uniform();
        drawScratch(scratches, x0, y0, angle, length, width, depth);
    }
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = texelCoord(x, size), t = texelCoord(y, size);
            const float brush = fbm(s * 4, t * 192, 4, 192, 2, seed + 1);
            const float band = fbm(s * 2, t * 24, 2, 24, 3, seed + 2);
            const float tint = fbm(s * 3, t * 3, 3, 3, 3, seed + 3);
            const float scratch = scratches.at(x, y);
            const float level = 1.0f + 0.03f * band - 0.04f * scratch;
            storeLinearColour(
                f0, x, y,
                {0.80f * level + 0.012f * tint, 0.80f * level, 0.81f * level - 0.012f * tint});
            storeScalar(roughness, x, y, 0.30f + 0.07f * band + 0.04f * brush + 0.18f * scratch);
            // Stored / 0.95: the JSON reads it with factor 0.95 (range [0, 0.95]).
            storeScalar(anisotropy, x, y, (0.80f + 0.07f * band - 0.55f * scratch) / 0.95f);
            height.at(x, y) = 0.5f * brush + 0.1f * band - 0.9f * scratch;
            const float bare = smoothstep(0.3f, 0.5f, fbm(s * 4, t * 4, 4, 4, 4, seed + 4));
            storeScalar(coatWeight, x, y, 1.0f - 0.8f * bare);
            const float dusty = smoothstep(-0.2f, 0.6f, fbm(s * 5, t * 5, 5, 5, 4, seed + 5));
            storeScalar(dust, x, y, 0.03f + 0.22f * dusty * (0.7f + 0.3f * hash01(x, y, seed + 6)));
        }
    }
    std::vector<MaterialMap> maps;
    maps.push_back({"f0", std::move(f0)});
    maps.push_back({"roughness", std::move(roughness)});
    maps.push_back({"anisotropy", std::move(anisotropy)});
    maps.push_back({"base_normal", normalMapFromHeight(height, 0.35f)});
    maps.push_back({"coat_weight", std::move(coatWeight)});
    maps.push_back({"sheen_weight", std::move(dust)});
    return maps;
}

} // namespace nerva::assetgen
