// nerva-assetgen: writes Nerva's procedural demo and test scenes (glTF 2.0,
// meshes and textures made by our own code) into an assets folder, byte for
// byte the same on every run.
//
//   nerva-assetgen [--check | --check-only] [OUTDIR]
//   nerva-assetgen --material-textures [OUTDIR]
//
// OUTDIR defaults to the repository's assets/ folder when known at build
// time, else ./assets. The first form writes the scenes, the environment
// maps and the layered-material descriptions (materials/*.json); --check
// loads every written scene back with tinygltf and validates it (vertex data
// finite, unit normals, tangents orthogonal to normals, sane uvs, winding
// that agrees with the normals, a camera "main", layered-material files that
// parse); --check-only does that for the files already there, writing
// nothing. The plain mode also writes the meshes the tri-plane field demo
// fits (meshes/*.obj; --check: they load and are closed), and --check
// requires every NERVA_field node's .ntri to be there and readable (they
// come from tools/scripts/fit-fields.sh, not from this tool).
// --material-textures writes only the material library's textures
// (materials/textures/<material>/<map>.png, not committed; the build runs it).
#include "environment_maps.h"
#include "field_meshes.h"
#include "material_library.h"
#include "scenes.h"

#include "neural/core/error.h"
#include "neural/formats/ntri.h"

#include <tiny_gltf.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace nerva::assetgen {
namespace {

#ifdef NERVA_ASSET_DIR
const char* const kDefaultOutDir = NERVA_ASSET_DIR;
#else
const char* const kDefaultOutDir = "assets";
#endif

// Reads accessor `index` as floats (or indices as u32), checking its bounds.
std::vector<float> readFloats(const tinygltf::Model& model, int index, int components,
                              std::vector<std::string>& problems) {
    const tinygltf::Accessor& a = model.accessors.at(static_cast<size_t>(index));
    const tinygltf::BufferView& v = model.bufferViews.at(static_cast<size_t>(a.bufferView));
    const tinygltf::Buffer& b = model.buffers.at(static_cast<size_t>(v.buffer));
    const size_t bytes = a.count * components * sizeof(float), start = v.byteOffset + a.byteOffset;
    if (a.componentType != TINYGLTF_COMPONENT_TYPE_FLOAT ||
        (v.byteStride != 0 && v.byteStride != size_t(components) * 4) ||
        start + bytes > b.data.size() || a.byteOffset + bytes > v.byteLength) {
        problems.push_back("accessor " + std::to_string(index) +
                           " is not tightly packed float data in bounds");
        return {};
    }
    std::vector<float> out(a.count * components);
    std::memcpy(out.data(), b.data.data() + start, bytes);
    return out;
}

std::vector<uint32_t> readIndices(const tinygltf::Model& model, int index,
                                  std::vector<std::string>& problems) {
    const tinygltf::Accessor& a = model.accessors.at(static_cast<size_t>(index));
    const tinygltf::BufferView& v = model.bufferViews.at(static_cast<size_t>(a.bufferView));
    const tinygltf::Buffer& b = model.buffers.at(static_cast<size_t>(v.buffer));
    const size_t size = a.componentType == TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT ? 2 : 4;
    const size_t start = v.byteOffset + a.byteOffset;
    if (start + a.count * size > b.data.size()) {
        problems.push_back("index accessor " + std::to_string(index) + " runs past its buffer");
        return {};
    }
    std::vector<uint32_t> out(a.count);
    for (size_t i = 0; i < a.count; ++i) {
        if (size == 2) {
            uint16_t x;
            std::memcpy(&x, b.data.data() + start + 2 * i, 2);
            out[i] = x;
        } else {
            std::memcpy(&out[i], b.data.data() + start + 4 * i, 4);
        }
    }
    return out;
}

void checkPrimitive(const tinygltf::Model& model, const tinygltf::Primitive& prim,
                    const std::string& where, std::vector<std::string>& problems) {
    std::vector<std::string> local;
    auto attribute = [&](const char* name) {
        auto it = prim.attributes.find(name);
        return it == prim.attributes.end() ? -1 : it->second;
    };
    if (attribute("POSITION") < 0 || attribute("NORMAL") < 0 || attribute("TANGENT") < 0 ||
        attribute("TEXCOORD_0") < 0 || prim.indices < 0) {
        problems.push_back(where + ": missing POSITION/NORMAL/TANGENT/TEXCOORD_0/indices");
        return;
    }
    const auto pos = readFloats(model, attribute("POSITION"), 3, local);
    const auto nrm = readFloats(model, attribute("NORMAL"), 3, local);
    const auto tan = readFloats(model, attribute("TANGENT"), 4, local);
    const auto uv0 = readFloats(model, attribute("TEXCOORD_0"), 2, local);
    const auto uv1 = attribute("TEXCOORD_1") >= 0
                         ? readFloats(model, attribute("TEXCOORD_1"), 2, local)
                         : std::vector<float>{};
    const auto idx = readIndices(model, prim.indices, local);
    const size_t n = pos.size() / 3;
    if (local.empty() && (nrm.size() != 3 * n || tan.size() != 4 * n || uv0.size() != 2 * n ||
                          (!uv1.empty() && uv1.size() != 2 * n) || idx.size() % 3 != 0))
        local.push_back("attribute counts differ");
    const tinygltf::Accessor& pa = model.accessors[static_cast<size_t>(attribute("POSITION"))];
    size_t bad = 0, outOfBounds = 0, wrongWinding = 0, wrongFrame = 0;
    for (size_t i = 0; local.empty() && i < n; ++i) {
        const Vec3 p{pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]},
            nv{nrm[3 * i], nrm[3 * i + 1], nrm[3 * i + 2]};
        const Vec3 t{tan[4 * i], tan[4 * i + 1], tan[4 * i + 2]};
        const float w = tan[4 * i + 3];
        bool ok = std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z);
        ok = ok && std::abs(length(nv) - 1.0f) < 1e-4f && std::abs(length(t) - 1.0f) < 1e-4f;
        ok = ok && std::abs(dot(nv, t)) < 1e-4f && (w == 1.0f || w == -1.0f);
        for (int c = 0; c < 2; ++c) {
            ok = ok && std::isfinite(uv0[2 * i + c]) && std::abs(uv0[2 * i + c]) <= 16.0f;
            if (!uv1.empty())
                ok = ok && std::isfinite(uv1[2 * i + c]) && std::abs(uv1[2 * i + c]) <= 16.0f;
        }
        const float coords[3] = {p.x, p.y, p.z};
        bool inBounds = true; // bounds compare at float precision, as stored
        for (int c = 0; c < 3; ++c)
            inBounds = inBounds && coords[c] >= static_cast<float>(pa.minValues.at(c)) &&
                       coords[c] <= static_cast<float>(pa.maxValues.at(c));
        bad += ok ? 0 : 1;
        outOfBounds += inBounds ? 0 : 1;
    }
    for (size_t t = 0; local.empty() && t < idx.size(); t += 3) {
        if (idx[t] >= n || idx[t + 1] >= n || idx[t + 2] >= n) {
            local.push_back("index out of range");
            break;
        }
        auto P = [&](uint32_t i) { return Vec3{pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]}; };
        auto N = [&](uint32_t i) { return Vec3{nrm[3 * i], nrm[3 * i + 1], nrm[3 * i + 2]}; };
        const Vec3 face = cross(P(idx[t + 1]) - P(idx[t]), P(idx[t + 2]) - P(idx[t]));
        if (length(face) < 1e-10f) continue;
        if (dot(face, N(idx[t]) + N(idx[t + 1]) + N(idx[t + 2])) <= 0.0f) ++wrongWinding;
        // The tangent frame must follow the uvs: T along dP/du, and glTF's
        // bitangent cross(N, T) * w along -dP/dv (towards the image's top).
        auto UV = [&](uint32_t i, int c) { return uv0[2 * i + c]; };
        const Vec3 e1 = P(idx[t + 1]) - P(idx[t]), e2 = P(idx[t + 2]) - P(idx[t]);
        const float du1 = UV(idx[t + 1], 0) - UV(idx[t], 0),
                    dv1 = UV(idx[t + 1], 1) - UV(idx[t], 1);
        const float du2 = UV(idx[t + 2], 0) - UV(idx[t], 0),
                    dv2 = UV(idx[t + 2], 1) - UV(idx[t], 1);
        const float det = du1 * dv2 - du2 * dv1;
        if (std::abs(det) < 1e-12f) continue;
        const Vec3 dpdu = (e1 * dv2 - e2 * dv1) * (1.0f / det),
                   dpdv = (e2 * du1 - e1 * du2) * (1.0f / det);
        for (int k = 0; k < 3; ++k) {
            const uint32_t v = idx[t + k];
            const Vec3 tv{tan[4 * v], tan[4 * v + 1], tan[4 * v + 2]};
            const Vec3 bv = cross(N(v), tv) * tan[4 * v + 3];
            if (dot(tv, normalize(dpdu)) < 0.5f || dot(bv, normalize(dpdv)) > -0.5f) {
                ++wrongFrame;
                break;
            }
        }
    }
    if (bad)
        local.push_back(std::to_string(bad) + " vertices with bad position/normal/tangent/uv data");
    if (outOfBounds)
        local.push_back(std::to_string(outOfBounds) + " positions outside the accessor's min/max");
    if (wrongFrame)
        local.push_back(std::to_string(wrongFrame) +
                        " triangles whose tangent frame disagrees with their uvs");
    if (wrongWinding)
        local.push_back(std::to_string(wrongWinding) + " triangles wound against their normals");
    for (const std::string& p : local)
        problems.push_back(where + ": " + p);
}

// Loads one written file and returns its problems (empty = good).
std::vector<std::string> checkFile(const std::filesystem::path& file) {
    tinygltf::TinyGLTF loader;
    tinygltf::Model model;
    std::string err, warn;
    const bool binary = file.extension() == ".glb";
    const bool loaded = binary ? loader.LoadBinaryFromFile(&model, &err, &warn, file.string())
                               : loader.LoadASCIIFromFile(&model, &err, &warn, file.string());
    for (std::string* text : {&err, &warn})
        while (!text->empty() && std::isspace(static_cast<unsigned char>(text->back())))
            text->pop_back();
    std::vector<std::string> problems;
    if (!warn.empty()) problems.push_back("tinygltf warning: " + warn);
    if (!loaded || !err.empty()) {
        problems.push_back("tinygltf error: " + err);
        return problems;
    }
    for (size_t m = 0; m < model.meshes.size(); ++m)
        for (size_t p = 0; p < model.meshes[m].primitives.size(); ++p)
            checkPrimitive(model, model.meshes[m].primitives[p],
                           "mesh '" + model.meshes[m].name + "' primitive " + std::to_string(p),
                           problems);
    for (const tinygltf::Image& image : model.images)
        if (!((image.width == 256 || image.width == 512) && image.height == image.width))
            problems.push_back("image '" + image.name + "' is not 256x256 or 512x512");
    for (const tinygltf::Material& material : model.materials) {
        auto ext = material.extensions.find("NERVA_materials_layered");
        if (ext == material.extensions.end()) continue;
        const std::string uri = ext->second.Get("uri").IsString()
                                    ? ext->second.Get("uri").Get<std::string>()
                                    : std::string();
        std::ifstream in(file.parent_path() / uri);
        const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
        if (uri.empty() || !in || doc.is_discarded() || !doc.is_object() ||
            doc.value("nerva_layered_material", 0) != 1 || doc.value("name", "") != material.name)
            problems.push_back("material '" + material.name + "': layered material '" + uri +
                               "' is missing, not JSON v1 or has another name");
    }
    bool mainCamera = false;
    for (const tinygltf::Node& node : model.nodes) {
        auto field = node.extensions.find("NERVA_field");
        if (field != node.extensions.end()) {
            const tinygltf::Value& v = field->second;
            const std::string uri = v.Get("uri").IsString() ? v.Get("uri").Get<std::string>() : "";
            const int material =
                v.Get("material").IsInt() ? v.Get("material").GetNumberAsInt() : -1;
            if (v.Has("material") && (material < 0 || size_t(material) >= model.materials.size()))
                problems.push_back("node '" + node.name + "': NERVA_field material out of range");
            try {
                if (uri.empty()) throw Error("no uri");
                formats::readNtri((file.parent_path() / uri).string());
            } catch (const Error& e) {
                problems.push_back("node '" + node.name + "': NERVA_field '" + uri +
                                   "' is not a readable .ntri (tools/scripts/fit-fields.sh "
                                   "makes them): " +
                                   e.what());
            }
        }
        if (node.camera >= 0 && model.cameras.at(static_cast<size_t>(node.camera)).name == "main")
            mainCamera = true;
        if (node.rotation.size() == 4) {
            const double len = std::sqrt(
                node.rotation[0] * node.rotation[0] + node.rotation[1] * node.rotation[1] +
                node.rotation[2] * node.rotation[2] + node.rotation[3] * node.rotation[3]);
            if (std::abs(len - 1.0) > 1e-6)
                problems.push_back("node '" + node.name + "' rotation is not unit");
        }
    }
    if (!mainCamera) problems.push_back("no node places a camera named \"main\"");
    return problems;
}

int run(int argc, char** argv) {
    bool check = false, write = true, textures = false;
    std::filesystem::path outDir = kDefaultOutDir;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--material-textures") {
            textures = true;
        } else if (arg == "--check") {
            check = true;
        } else if (arg == "--check-only") {
            check = true;
            write = false;
        } else if (arg == "-h" || arg == "--help") {
            std::printf("usage: nerva-assetgen [--check | --check-only] [OUTDIR]\n"
                        "       nerva-assetgen --material-textures [OUTDIR]\n"
                        "(default OUTDIR: %s)\n",
                        kDefaultOutDir);
            return 0;
        } else if (!arg.empty() && arg[0] == '-') {
            throw Error("nerva-assetgen: unknown option '" + arg + "' (try --help)");
        } else {
            outDir = arg;
        }
    }
    if (textures) {
        if (check) throw Error("nerva-assetgen: --material-textures does not combine with checks");
        uintmax_t total = 0;
        double seconds = 0.0;
        for (const WrittenMaterialTextures& t : writeMaterialTextures(outDir)) {
            std::printf("%-15s %2zu textures %9ju bytes %6.2f s\n", t.material.c_str(), t.files,
                        t.bytes, t.seconds);
            total += t.bytes;
            seconds += t.seconds;
        }
        std::printf("material textures: %ju bytes in %.2f s\n", total, seconds);
        return 0;
    }
    std::vector<std::filesystem::path> files;
    if (write) {
        uintmax_t total = 0;
        for (const WrittenScene& scene : writeAllScenes(outDir)) {
            std::printf("%-10s %-45s %7zu triangles (%7zu placed) %9ju bytes in %zu files\n",
                        scene.name.c_str(),
                        std::filesystem::relative(scene.file, outDir).string().c_str(),
                        scene.stats.meshTriangles, scene.stats.instanceTriangles, scene.stats.bytes,
                        scene.stats.files.size());
            files.push_back(scene.file);
            total += scene.stats.bytes;
        }
        for (const WrittenEnvironment& env : writeEnvironmentMaps(outDir)) {
            std::printf("%-10s %-45s %4ux%-4u environment map            %9ju bytes in 1 file\n",
                        env.name.c_str(),
                        std::filesystem::relative(env.file, outDir).string().c_str(), env.width,
                        env.height, env.bytes);
            total += env.bytes;
        }
        for (const std::filesystem::path& file : writeMaterialDescriptions(outDir)) {
            const uintmax_t bytes = std::filesystem::file_size(file);
            std::printf("%-10s %-45s layered material description %9ju bytes in 1 file\n",
                        "material", std::filesystem::relative(file, outDir).string().c_str(),
                        bytes);
            total += bytes;
        }
        for (const WrittenMesh& mesh : writeFieldMeshes(outDir)) {
            std::printf("%-10s %-45s %7zu triangles (field demo source) %9ju bytes in 1 file\n",
                        mesh.name.c_str(),
                        std::filesystem::relative(mesh.file, outDir).string().c_str(),
                        mesh.triangles, mesh.bytes);
            files.push_back(mesh.file);
            total += mesh.bytes;
        }
        std::printf("total %ju bytes\n", total);
    } else {
        for (const char* rel : {"scenes/demo/demo.gltf", "scenes/tests/spheres.gltf",
                                "scenes/tests/textures.gltf", "scenes/tests/lights.gltf",
                                "scenes/tests/hierarchy.glb", "scenes/shaderball/shaderball.gltf"})
            files.push_back(outDir / rel);
        for (const std::filesystem::path& mesh : fieldMeshFiles(outDir))
            files.push_back(mesh);
    }
    if (!check) return 0;
    size_t failures = 0;
    for (const auto& file : files) {
        const std::vector<std::string> problems =
            file.extension() == ".obj" ? checkMeshFile(file) : checkFile(file);
        std::printf("check %-50s %s\n", file.string().c_str(), problems.empty() ? "ok" : "FAILED");
        for (const std::string& p : problems)
            std::fprintf(stderr, "%s: %s\n", file.string().c_str(), p.c_str());
        failures += problems.empty() ? 0 : 1;
    }
    return failures == 0 ? 0 : 1;
}

} // namespace
} // namespace nerva::assetgen

int main(int argc, char** argv) {
    try {
        return nerva::assetgen::run(argc, argv);
    } catch (const nerva::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nerva-assetgen: %s\n", e.what());
        return 2;
    }
}
