// Texture sets of lacquered_wood and velvet (see assets/materials/README.md
// for what each map holds).
#include "material_textures.h"

#include "material_textures_common.h"

namespace nerva::assetgen {

using namespace mtex;

// Flat-sawn oak-like wood under an amber lacquer: growth rings across v
// (the grain runs along u), open pores in the earlywood, fine fibre streaks;
// the lacquer is thicker where it fills the pores and slightly hazy in
// patches.
std::vector<MaterialMap> makeLacqueredWoodTextures(int size, uint32_t seed) {
    Image8 colour(size, size, 3), diffuseRoughness(size, size, 3), specularRoughness(size, size, 3);
    Image8 thickness(size, size, 3), coatRoughness(size, size, 3);
    HeightField height(size, size);
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = texelCoord(x, size), t = texelCoord(y, size);
            const float warp = fbm(s * 2, t * 4, 2, 4, 4, seed);
            const float ringCoord = t * 12.0f + 1.1f * warp + 0.25f * std::sin(2.0f * kPi * s);
            const float ring = fract(ringCoord);
            const float late =
                smoothstep(0.5f, 0.82f, ring) * (1.0f - smoothstep(0.9f, 1.0f, ring));
            const float fibre = fbm(s * 8, t * 160, 8, 160, 2, seed + 1);
            // Pores: short dark dashes along u, mostly in the earlywood.
            const float poreNoise = valueNoise(s * 48, t * 384, 48, 384, seed + 2);
            const float pore = smoothstep(0.74f, 0.86f, poreNoise) * mix(1.0f, 0.35f, late);
            const float tone = fbm(s * 3, t * 3, 3, 3, 3, seed + 3);
            const Rgb early{0.52f, 0.31f, 0.15f}, lateWood{0.27f, 0.135f, 0.055f};
            const Rgb wood = scale(mix(early, lateWood, 0.85f * late + 0.12f * fibre + 0.05f),
                                   (1.0f + 0.08f * tone) * (1.0f - 0.45f * pore));
            storeLinearColour(colour, x, y, wood);
            storeScalar(diffuseRoughness, x, y, 0.35f + 0.25f * pore + 0.1f * late);
            storeScalar(specularRoughness, x, y, 0.32f + 0.3f * pore + 0.05f * fibre);
            height.at(x, y) = -0.7f * pore + 0.12f * late + 0.06f * fibre;
            // Thickness / 2 (read with factor 2): about 1, more in the pores.
            const float sag = fbm(s * 2, t * 2, 2, 2, 3, seed + 4);
            storeScalar(thickness, x, y, 0.5f + 0.08f * sag + 0.15f * pore);
            const float hazy = smoothstep(0.1f, 0.5f, fbm(s * 4, t * 4, 4, 4, 4, seed + 5));
            storeScalar(coatRoughness, x, y, 0.14f + 0.22f * hazy + 0.08f * pore);
        }
    }
    std::vector<MaterialMap> maps;
    maps.push_back({"color", std::move(colour)});
    maps.push_back({"base_normal", normalMapFromHeight(height, 1.5f)});
    maps.push_back({"diffuse_roughness", std::move(diffuseRoughness)});
    maps.push_back({"specular_roughness", std::move(specularRoughness)});
    maps.push_back({"coat_thickness", std::move(thickness)});
    maps.push_back({"coat_roughness", std::move(coatRoughness)});
    return maps;
}

// Deep blue "crushed" velvet: a plain weave of 128 threads per tile (the
// pile's base), large patches where the pile lies differently (brighter,
// smoother sheen), a weak specular reflection off the fibres.
std::vector<MaterialMap> makeVelvetTextures(int size, uint32_t seed) {
    Image8 colour(size, size, 3), diffuseRoughness(size, size, 3), specularWeight(size, size, 3);
    Image8 sheenColour(size, size, 3), sheenRoughness(size, size, 3);
    HeightField height(size, size);
    const int threads = 128;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const float s = texelCoord(x, size), t = texelCoord(y, size);
            const float a = s * threads, b = t * threads;
            const int column = static_cast<int>(std::floor(a)),
                      row = static_cast<int>(std::floor(b));
            const float across = std::sin(kPi * fract(a)), along = std::sin(kPi * fract(b));
            // Plain weave: the warp (along v) is on top where column + row is even.
            const bool warpOver = ((column + row) & 1) == 0;
            const float weave =
                warpOver ? across * (0.55f + 0.45f * along) : along * (0.55f + 0.45f * across);
            const float slub =
                0.9f + 0.2f * hash01(warpOver ? column : row, warpOver ? 0 : 1, seed);
            const float pile = hash01(x, y, seed + 1);
            height.at(x, y) = weave * slub + 0.1f * pile;
            const float crush = fbm(s * 3, t * 3, 3, 3, 5, seed + 2);
            const float crushed = smoothstep(-0.35f, 0.45f, crush);
            const Rgb velvet =
                scale(Rgb{0.035f, 0.045f, 0.20f}, (0.7f + 0.3f * weave) * (0.85f + 0.3f * crushed));
            storeLinearColour(colour, x, y, velvet);
            storeScalar(diffuseRoughness, x, y, 0.8f + 0.15f * (1.0f - crushed) + 0.05f * pile);
            storeScalar(specularWeight, x, y, 0.04f + 0.12f * weave * (0.4f + 0.6f * crushed));
            const Rgb sheen = scale(Rgb{0.32f, 0.40f, 0.85f}, 0.75f + 0.3f * crushed);
            storeLinearColour(sheenColour, x, y, sheen);
            storeScalar(sheenRoughness, x, y, 0.55f - 0.2f * crushed + 0.06f * (pile - 0.5f));
        }
    }
    std::vector<MaterialMap> maps;
    maps.push_back({"color", std::move(colour)});
    maps.push_back({"base_normal", normalMapFromHeight(height, 0.8f)});
    maps.push_back({"diffuse_roughness", std::move(diffuseRoughness)});
    maps.push_back({"specular_weight", std::move(specularWeight)});
    maps.push_back({"sheen_color", std::move(sheenColour)});
    maps.push_back({"sheen_roughness", std::move(sheenRoughness)});
    return maps;
}

} // namespace nerva::assetgen
