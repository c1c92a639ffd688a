// glTF loader: bad input gives one nerva::Error line naming the file and the
// problem, and never a crash.
#include "gltf_fixtures.h"

#include "neural/core/error.h"
#include "renderer/scene/gltf_loader.h"

#include <limits>
#include <random>

namespace {

using namespace nerva::gltftest;
using nerva::scene::loadGltf;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Loads `path` expecting a nerva::Error; checks the message is one line that
// starts with the path, and returns it.
std::string loadError(const std::string& path) {
    try {
        loadGltf(path);
    } catch (const nerva::Error& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind(path + ": ", 0), 0u) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
        return m;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a nerva::Error: " << e.what();
        return {};
    }
    ADD_FAILURE() << "loaded without an error: " << path;
    return {};
}

// Loading may succeed or fail, but only ever with nerva::Error.
void loadSurvives(const std::string& path) {
    try {
        loadGltf(path);
    } catch (const nerva::Error&) {
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a nerva::Error: " << e.what();
    }
}

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

// One mesh 'Box' (a triangle: POSITION accessor 0, NORMAL 1, TEXCOORD_0 2,
// indices 3) on one node, plus a material, texture, sampler, image.
GltfBuilder boxScene(std::vector<float> positions = {0, 0, 0, 1, 0, 0, 0, 1, 0},
                     std::vector<float> normals = {0, 0, 1, 0, 0, 1, 0, 0, 1},
                     std::vector<float> uvs = {0, 0, 1, 0, 0, 1},
                     std::vector<uint16_t> indices = {0, 1, 2}) {
    GltfBuilder b;
    const int pos = b.addFloats(positions, "VEC3");
    const int nrm = b.addFloats(normals, "VEC3");
    const int uv = b.addFloats(uvs, "VEC2");
    const int idx = b.addIndices(indices);
    const std::vector<uint8_t> png = makePng(1, 1, 4, 8, {1, 2, 3, 4});
    b.push("images",
           {{"bufferView", b.addView(png.data(), png.size())}, {"mimeType", "image/png"}});
    b.push("samplers", json::object());
    b.push("textures", {{"source", 0}, {"sampler", 0}});
    b.push("materials", {{"pbrMetallicRoughness", {{"baseColorTexture", {{"index", 0}}}}}});
    b.addMesh("Box", json::array(
                         {{{"attributes", {{"POSITION", pos}, {"NORMAL", nrm}, {"TEXCOORD_0", uv}}},
                           {"indices", idx},
                           {"material", 0}}}));
    b.addNode({{"mesh", 0}, {"name", "box"}});
    return b;
}

json& primitive(GltfBuilder& b) {
    return b.doc["meshes"][0]["primitives"][0];
}

TEST(GltfErrors, BaseSceneLoads) {
    TempDir dir;
    const auto s = loadGltf(boxScene().writeEmbedded(dir.file("box.gltf")));
    EXPECT_EQ(s.meshes.at(0).primitives.size(), 1u);
    EXPECT_TRUE(s.images.at(0).srgb);
}

TEST(GltfErrors, FileProblems) {
    TempDir dir;
    EXPECT_HAS(loadError(dir.file("absent.gltf")), "file not found");
    EXPECT_HAS(loadError(dir.file("")), "is a directory");
    writeFile(dir.file("empty.gltf"), {});
    EXPECT_HAS(loadError(dir.file("empty.gltf")), "file is empty");
}

TEST(GltfErrors, MalformedJson) {
    TempDir dir;
    const std::string path = dir.file("bad.gltf");
    writeFile(path, bytesOf("{\"asset\": {\"version\": \"2.0\"},\n \"nodes\": [1, 2,}"));
    const std::string m = loadError(path);
    EXPECT_HAS(m, "malformed JSON");
    EXPECT_HAS(m, "line 2");
    writeFile(path, bytesOf("[1, 2, 3]"));
    EXPECT_HAS(loadError(path), "not glTF");
    writeFile(path, bytesOf("{\"asset\": {\"version\": \"2.0\"}, \"extras\": " +
                            std::string(200, '[') + std::string(200, ']') + "}"));
    EXPECT_HAS(loadError(path), "nested deeper");
    writeFile(path, bytesOf("{\"asset\": {\"version\": \"1.0\"}}"));
    EXPECT_HAS(loadError(path), "unsupported glTF version '1.0'");
    writeFile(path, bytesOf("{\"nodes\": []}"));
    EXPECT_HAS(loadError(path), "no 'asset'");
}

TEST(GltfErrors, TruncatedGlbAtEveryLength) {
    TempDir dir;
    const std::vector<uint8_t> glb = boxScene().glbBytes();
    const std::string path = dir.file("cut.glb");
    for (size_t cut = 1; cut < glb.size(); ++cut) {
        writeFile(path, std::vector<uint8_t>(glb.begin(), glb.begin() + long(cut)));
        const std::string m = loadError(path);
        EXPECT_HAS(m, "truncated GLB") << " at " << cut;
    }
    writeFile(path, glb);
    EXPECT_NO_THROW(loadGltf(path));
}

TEST(GltfErrors, CorruptGlbHeaders) {
    TempDir dir;
    const std::vector<uint8_t> glb = boxScene().glbBytes();
    const std::string path = dir.file("corrupt.glb");
    auto patched = [&](size_t offset, uint32_t value) {
        std::vector<uint8_t> b = glb;
        for (int i = 0; i < 4; ++i)
            b[offset + size_t(i)] = uint8_t(value >> (8 * i));
        writeFile(path, b);
        return loadError(path);
    };
    uint32_t jsonSize = 0;
    for (int i = 0; i < 4; ++i)
        jsonSize |= uint32_t(glb[12 + size_t(i)]) << (8 * i);
    const size_t binHeader = 20 + jsonSize;
    EXPECT_HAS(patched(0, 0x12345678), "bad magic");
    EXPECT_HAS(patched(4, 1), "GLB version 1");
    EXPECT_HAS(patched(8, 0xFFFFFFF0u), "truncated GLB");
    EXPECT_HAS(patched(12, 0xFFFFFFF0u), "JSON chunk");
    EXPECT_HAS(patched(12, 0), "JSON chunk is empty");
    EXPECT_HAS(patched(16, 0x11111111), "not JSON");
    EXPECT_HAS(patched(binHeader, 0xFFFFFFF0u), "BIN chunk");
    EXPECT_HAS(patched(binHeader, 3), "multiple of 4");
    EXPECT_HAS(patched(binHeader + 4, 0x22222222), "not a BIN chunk");
    EXPECT_HAS(patched(binHeader, 8), "GLB BIN chunk has 8"); // buffer 0 needs more
}

TEST(GltfErrors, MutatedFilesNeverCrash) {
    TempDir dir;
    const GltfBuilder b = boxScene();
    const std::vector<uint8_t> glb = b.glbBytes();
    const std::string glbPath = dir.file("fuzz.glb");
    for (size_t i = 0; i < glb.size(); ++i) {
        for (uint8_t x : {uint8_t(0xFF), uint8_t(0x01), uint8_t(0x80)}) {
            std::vector<uint8_t> m = glb;
            m[i] ^= x;
            writeFile(glbPath, m);
            loadSurvives(glbPath);
        }
    }
    // Random edits of the JSON text (buffer in an external .bin): digits,
    // brackets, quotes and separators in random places.
    const std::string gltfPath = dir.file("fuzz.gltf");
    b.writeWithBin(gltfPath, "fuzz.bin");
    const std::string binUri = "fuzz.bin";
    const std::string text = b.finished(&binUri).dump();
    std::mt19937 rng(1234);
    const std::string alphabet = "0123456789-[]{}\",:e.";
    for (int round = 0; round < 600; ++round) {
        std::string t = text;
        for (int k = 0; k < 1 + round % 3; ++k)
            t[rng() % t.size()] = alphabet[rng() % alphabet.size()];
        writeFile(gltfPath, bytesOf(t));
        loadSurvives(gltfPath);
    }
}

TEST(GltfErrors, MissingFilesAreNamed) {
    TempDir dir;
    GltfBuilder b = boxScene();
    const std::string path = dir.file("ext.gltf");
    b.writeWithBin(path, "present.bin");
    EXPECT_NO_THROW(loadGltf(path));
    std::filesystem::remove(dir.file("present.bin"));
    std::string m = loadError(path);
    EXPECT_HAS(m, "missing buffer file");
    EXPECT_HAS(m, "present.bin");

    b.doc["images"][0] = {{"uri", "gone.png"}};
    m = loadError(b.writeEmbedded(dir.file("img.gltf")));
    EXPECT_HAS(m, "missing image file");
    EXPECT_HAS(m, "gone.png");
}

TEST(GltfErrors, BufferAndAccessorRanges) {
    TempDir dir;
    {
        GltfBuilder b = boxScene();
        b.writeWithBin(dir.file("short.gltf"), "short.bin");
        writeFile(dir.file("short.bin"), {1, 2, 3, 4});
        EXPECT_HAS(loadError(dir.file("short.gltf")), "is 4 bytes but buffer 0 byteLength");
    }
    {
        GltfBuilder b = boxScene();
        const std::string uri = "data:application/octet-stream;base64," + base64({1, 2, 3});
        json d = b.finished(&uri);
        writeFile(dir.file("uri.gltf"), bytesOf(d.dump()));
        EXPECT_HAS(loadError(dir.file("uri.gltf")), "data URI holds 3 bytes");
    }
    {
        GltfBuilder b = boxScene();
        b.doc["bufferViews"][0]["byteLength"] = 100000;
        const std::string m = loadError(b.writeEmbedded(dir.file("view.gltf")));
        EXPECT_HAS(m, "bufferView 0");
        EXPECT_HAS(m, "out of range of buffer 0");
    }
    {
        GltfBuilder b = boxScene();
        b.doc["accessors"][0]["count"] = 4; // 48 bytes from a 36-byte view
        const std::string m = loadError(b.writeEmbedded(dir.file("count.gltf")));
        EXPECT_HAS(m, "accessor 0 (POSITION of mesh 'Box' primitive 0) is out of range");
    }
    {
        GltfBuilder b = boxScene(); // checked before anything is allocated
        b.doc["accessors"][0]["count"] = 4000000000u;
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file("huge.gltf"))),
                   "accessor 0 (POSITION of mesh 'Box' primitive 0) is out of range");
        b.doc["accessors"][0].erase("bufferView");
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file("huge.gltf"))),
                   "has no bufferView and a count of 4000000000");
    }
    {
        GltfBuilder b = boxScene();
        b.doc["accessors"][2]["byteOffset"] = 4;
        const std::string m = loadError(b.writeEmbedded(dir.file("offset.gltf")));
        EXPECT_HAS(m, "accessor 2 (TEXCOORD_0 of mesh 'Box' primitive 0) is out of range");
    }
    {
        GltfBuilder b = boxScene();
        b.doc["accessors"][0]["bufferView"] = 17;
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file("av.gltf"))),
                   "references bufferView 17, out of range");
    }
    {
        GltfBuilder b = boxScene();
        primitive(b)["attributes"]["NORMAL"] = 42;
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file("acc.gltf"))),
                   "accessor 42 (NORMAL of mesh 'Box' primitive 0) is out of range");
    }
    {
        GltfBuilder b = boxScene();
        b.doc["images"][0]["bufferView"] = 9;
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file("iv.gltf"))),
                   "image 0 references bufferView 9, out of range");
    }
    {
        GltfBuilder b = boxScene();
        b.doc["accessors"][0]["type"] = "VEC2";
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file("type.gltf"))), "is VEC2, expected VEC3");
    }
}

TEST(GltfErrors, OutOfRangeIndicesAndReferences) {
    TempDir dir;
    auto expectError = [&](const std::string& name, GltfBuilder b, const std::string& phrase) {
        SCOPED_TRACE(name);
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file(name + ".gltf"))), phrase);
    };
    expectError("index",
                boxScene({0, 0, 0, 1, 0, 0, 0, 1, 0}, {0, 0, 1, 0, 0, 1, 0, 0, 1},
                         {0, 0, 1, 0, 0, 1}, {0, 1, 7}),
                "accessor 3 (indices of mesh 'Box' primitive 0) has index 7 at position 2, out of "
                "range (3 vertices)");
    GltfBuilder b = boxScene();
    primitive(b)["material"] = 3;
    expectError("material", b,
                "mesh 'Box' primitive 0 references material 3, out of range (1 materials)");
    b = boxScene();
    b.doc["nodes"][0]["mesh"] = 5;
    expectError("mesh", b, "node 'box' references mesh 5, out of range (1 meshes)");
    b = boxScene();
    b.doc["nodes"][0]["camera"] = 0;
    expectError("camera", b, "references camera 0, out of range (0 cameras)");
    b = boxScene();
    b.doc["nodes"][0]["children"] = {4};
    expectError("child", b, "references node 4, out of range");
    b = boxScene();
    b.doc["scenes"][0]["nodes"] = {0, 3};
    expectError("root", b, "references node 3, out of range");
    b = boxScene();
    b.doc["materials"][0]["pbrMetallicRoughness"]["baseColorTexture"]["index"] = 4;
    expectError("texture", b, "baseColorTexture references texture 4, out of range (1 textures)");
    b = boxScene();
    b.doc["textures"][0]["sampler"] = 2;
    expectError("sampler", b, "texture 0 references sampler 2, out of range (1 samplers)");
    b = boxScene();
    b.doc["textures"][0]["source"] = 3;
    expectError("image", b, "texture 0 references image 3, out of range (1 images)");
    b = boxScene();
    b.doc["nodes"][0]["extensions"]["KHR_lights_punctual"]["light"] = 0;
    expectError("light", b, "references light 0, out of range (0 lights)");
    b = boxScene();
    b.doc["scene"] = 2;
    expectError("scene", b, "default scene 2 is out of range (1 scenes)");
}

TEST(GltfErrors, NonFiniteVertexData) {
    TempDir dir;
    auto expectError = [&](const std::string& name, const GltfBuilder& b,
                           const std::string& phrase) {
        SCOPED_TRACE(name);
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file(name + ".gltf"))), phrase);
    };
    expectError("pos", boxScene({0, 0, 0, 1, kNaN, 0, 0, 1, 0}),
                "accessor 0 (POSITION of mesh 'Box' primitive 0) has NaN at vertex 1");
    expectError("nrm", boxScene({0, 0, 0, 1, 0, 0, 0, 1, 0}, {0, 0, 1, 0, 0, 1, 0, 0, -kInf}),
                "accessor 1 (NORMAL of mesh 'Box' primitive 0) has Inf at vertex 2");
    expectError(
        "uv",
        boxScene({0, 0, 0, 1, 0, 0, 0, 1, 0}, {0, 0, 1, 0, 0, 1, 0, 0, 1}, {kNaN, 0, 1, 0, 0, 1}),
        "accessor 2 (TEXCOORD_0 of mesh 'Box' primitive 0) has NaN at vertex 0");
}

TEST(GltfErrors, StructuralProblems) {
    TempDir dir;
    auto expectError = [&](const std::string& name, const GltfBuilder& b,
                           const std::string& phrase) {
        SCOPED_TRACE(name);
        EXPECT_HAS(loadError(b.writeEmbedded(dir.file(name + ".gltf"))), phrase);
    };
    GltfBuilder b = boxScene();
    primitive(b)["attributes"].erase("POSITION");
    expectError("noposition", b, "mesh 'Box' primitive 0 has no POSITION attribute");

    b = boxScene();
    b.push("nodes", {{"name", "a"}, {"children", {2}}});
    b.push("nodes", {{"name", "b"}, {"children", {1}}});
    expectError("cycle", b, "node cycle");
    b = boxScene();
    b.doc["nodes"][0]["children"] = {0};
    expectError("selfcycle", b, "node cycle: node 'box' is its own ancestor");
    b = boxScene();
    b.push("nodes", {{"name", "leaf"}});
    b.push("nodes", {{"children", {1}}});
    b.push("nodes", {{"children", {1}}});
    expectError("parents", b, "node 'leaf' has more than one parent");

    b = boxScene();
    b.doc["extensionsUsed"] = {"KHR_draco_mesh_compression", "KHR_texture_transform"};
    b.doc["extensionsRequired"] = {"KHR_draco_mesh_compression", "KHR_texture_transform"};
    expectError("required", b, "requires unsupported extension(s): KHR_draco_mesh_compression");

    b = boxScene({0, 0, 0, 1, 0, 0, 0, 1, 0}, {0, 0, 1, 0, 0, 1, 0, 0, 1}, {0, 0, 1, 0, 0, 1},
                 {0, 1});
    expectError("notriangles", b, "2 vertices in its triangle list, not a multiple of 3");

    b = boxScene();
    const std::vector<uint8_t> junk = {1, 2, 3, 4, 5, 6, 7, 8};
    b.doc["images"][0] = {{"bufferView", b.addView(junk.data(), junk.size())},
                          {"mimeType", "image/png"}};
    expectError("undecodable", b, "image 0 cannot be decoded");

    b = boxScene();
    const std::vector<uint16_t> nine = {9};
    b.doc["accessors"][0]["sparse"] = {
        {"count", 1},
        {"indices", {{"bufferView", b.addView(nine.data(), 2)}, {"componentType", kUShort}}},
        {"values", {{"bufferView", 0}}}};
    expectError("sparse", b, "has sparse index 9, out of range (3 elements)");

    b = boxScene(); // names from the file cannot break the line
    b.doc["meshes"][0]["name"] = "Two\nLines";
    primitive(b)["material"] = 9;
    expectError("name", b, "mesh 'Two?Lines' primitive 0 references material 9");

    b = boxScene();
    b.doc["materials"][0]["alphaMode"] = "SHINY";
    expectError("alpha", b, "invalid alphaMode 'SHINY'");
}

} // namespace
