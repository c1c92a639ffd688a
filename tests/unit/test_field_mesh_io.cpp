// Mesh files for field fitting (neural/field/mesh_io.h): OBJ round trip and
// OBJ/PLY (ascii, binary little and big endian)/OFF features, and one clear
// nerva::Error line naming the file for every bad input (wrong content for
// the extension, truncation, NaN, bad indices, unsupported formats).
#include "neural/core/error.h"
#include "neural/field/demo_meshes.h"
#include "neural/field/mesh_io.h"
#include "tests/support/process.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace nerva::field;

fs::path scratch() {
    static const fs::path d = nerva::test::scratchDir("field-mesh-io-test");
    return d;
}

std::string writeFile(const std::string& name, const std::string& bytes) {
    const fs::path p = scratch() / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
}

// The error message loadMeshFile throws for `path` ("" when none).
std::string loadError(const std::string& path) {
    try {
        loadMeshFile(path);
    } catch (const nerva::Error& e) {
        return e.what();
    }
    return "";
}

// Expects an error that names the file and contains `what`, on one line.
void expectError(const std::string& path, const std::string& what) {
    const std::string message = loadError(path);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(what), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

// A unit cube as 6 quads (8 vertices), counter-clockwise seen from outside.
const float kCube[8][3] = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0},
                           {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};
const int kCubeQuads[6][4] = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 1, 5, 4},
                              {2, 3, 7, 6}, {1, 2, 6, 5}, {0, 4, 7, 3}};

void expectCube(const TriangleMesh& mesh) {
    ASSERT_EQ(mesh.positions.size(), 8u);
    ASSERT_EQ(mesh.triangles.size(), 12u);
    for (int v = 0; v < 8; ++v) {
        EXPECT_EQ(mesh.positions[v], glm::vec3(kCube[v][0], kCube[v][1], kCube[v][2]));
    }
    for (int f = 0; f < 6; ++f) { // fans (q0, q1, q2), (q0, q2, q3)
        EXPECT_EQ(mesh.triangles[2 * f],
                  glm::uvec3(kCubeQuads[f][0], kCubeQuads[f][1], kCubeQuads[f][2]));
        EXPECT_EQ(mesh.triangles[2 * f + 1],
                  glm::uvec3(kCubeQuads[f][0], kCubeQuads[f][2], kCubeQuads[f][3]));
    }
    EXPECT_NEAR(signedVolume(mesh), 1.0, 1e-6);
}

// Binary PLY writer for tests: values appended in the file's byte order.
class BinaryWriter {
  public:
    explicit BinaryWriter(bool little) : little_(little) {}
    template <class T> void put(T value) {
        unsigned char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        if (little_ != (std::endian::native == std::endian::little)) {
            for (size_t i = 0; i < sizeof(T) / 2; ++i)
                std::swap(raw[i], raw[sizeof(T) - 1 - i]);
        }
        bytes_.append(reinterpret_cast<const char*>(raw), sizeof(T));
    }
    const std::string& bytes() const { return bytes_; }

  private:
    bool little_;
    std::string bytes_;
};

// The cube with double x y z, a float normal and uchar colour per vertex, a
// face list (uchar count, uint indices) plus a float list and an int flag
// per face, and an extra "edge" element after the faces.
std::string binaryCubePly(bool little) {
    std::string header =
        std::string("ply\nformat ") + (little ? "binary_little_endian" : "binary_big_endian") +
        " 1.0\ncomment made by the test\nelement vertex 8\nproperty float nx\n"
        "property double x\nproperty double y\nproperty double z\nproperty uchar red\n"
        "element face 6\nproperty list uchar float texcoord\n"
        "property list uchar uint vertex_indices\nproperty int flags\n"
        "element edge 1\nproperty int vertex1\nproperty int vertex2\nend_header\n";
    BinaryWriter w(little);
    for (const auto& v : kCube) {
        w.put(0.5f);
        w.put(double(v[0]));
        w.put(double(v[1]));
        w.put(double(v[2]));
        w.put(uint8_t(200));
    }
    for (const auto& q : kCubeQuads) {
        w.put(uint8_t(2));
        w.put(0.25f);
        w.put(0.75f);
        w.put(uint8_t(4));
        for (int i : q)
            w.put(uint32_t(i));
        w.put(int32_t(-7));
    }
    w.put(int32_t(0));
    w.put(int32_t(1));
    return header + w.bytes();
}

TEST(FieldMeshIo, ObjRoundTrip) {
    const TriangleMesh knot = makeTorusKnot(2, 3, 0.2f, 64, 12);
    const std::string path = (scratch() / "knot.obj").string();
    saveMeshObj(knot, path);
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    const TriangleMesh back = loadMeshFile(path);
    EXPECT_EQ(back.positions, knot.positions); // 9 digits: bit exact
    EXPECT_EQ(back.triangles, knot.triangles);
}

TEST(FieldMeshIo, ObjFeatures) {
    std::string obj = "# a cube\r\nmtllib cube.mtl\no cube\n";
    for (const auto& v : kCube) {
        obj += "v " + std::to_string(v[0]) + " " + std::to_string(v[1]) + " " +
               std::to_string(v[2]) + " 1.0\n";
    }
    obj += "vt 0 0\nvn 0 0 1\ng side\nusemtl red\ns off\n";
    for (int f = 0; f < 6; ++f) {
        obj += "f";
        for (int k = 0; k < 4; ++k) {
            const int i = kCubeQuads[f][k];
            // Mix absolute (1-based) and relative (negative) indices and corner forms.
            if (f % 3 == 0)
                obj += " " + std::to_string(i + 1) + "/1/1";
            else if (f % 3 == 1)
                obj += " " + std::to_string(i - 8) + "//1";
            else
                obj += " " + std::to_string(i + 1) + "/1";
        }
        obj += "  # quad\n";
    }
    obj += "l 1 2\n";
    expectCube(loadMeshFile(writeFile("cube.obj", obj)));
    // Upper-case extension.
    expectCube(loadMeshFile(writeFile("CUBE.OBJ", obj)));
}

TEST(FieldMeshIo, PlyAscii) {
    std::string ply =
        "ply\r\nformat ascii 1.0\r\ncomment cube\r\nelement vertex 8\r\nproperty float x\r\n"
        "property float y\r\nproperty float z\r\nproperty uchar red\r\n"
        "element face 6\r\nproperty list uchar int vertex_index\r\nend_header\r\n";
    for (const auto& v : kCube) {
        ply += std::to_string(v[0]) + " " + std::to_string(v[1]) + " " + std::to_string(v[2]) +
               " 255\r\n";
    }
    for (const auto& q : kCubeQuads) {
        ply += "4 " + std::to_string(q[0]) + " " + std::to_string(q[1]) + " " +
               std::to_string(q[2]) + " " + std::to_string(q[3]) + "\r\n";
    }
    expectCube(loadMeshFile(writeFile("cube_ascii.ply", ply)));
}

TEST(FieldMeshIo, PlyBinaryBothEndians) {
    expectCube(loadMeshFile(writeFile("cube_le.ply", binaryCubePly(true))));
    expectCube(loadMeshFile(writeFile("cube_be.ply", binaryCubePly(false))));
}

TEST(FieldMeshIo, Off) {
    std::string off = "OFF\n# the cube\n8 6 12\n";
    for (const auto& v : kCube) {
        off +=
            std::to_string(v[0]) + " " + std::to_string(v[1]) + " " + std::to_string(v[2]) + "\n";
    }
    for (const auto& q : kCubeQuads) {
        off += "4 " + std::to_string(q[0]) + " " + std::to_string(q[1]) + " " +
               std::to_string(q[2]) + " " + std::to_string(q[3]) + " 255 0 0\n";
    }
    expectCube(loadMeshFile(writeFile("cube.off", off)));
    // Counts on the header line; COFF with per-vertex colours.
    std::string coff = "COFF 8 6 0\n";
    for (const auto& v : kCube) {
        coff += std::to_string(v[0]) + " " + std::to_string(v[1]) + " " + std::to_string(v[2]) +
                " 1 0 0 1\n";
    }
    for (const auto& q : kCubeQuads) {
        coff += "4 " + std::to_string(q[0]) + " " + std::to_string(q[1]) + " " +
                std::to_string(q[2]) + " " + std::to_string(q[3]) + "\n";
    }
    expectCube(loadMeshFile(writeFile("cube_c.off", coff)));
}

TEST(FieldMeshIo, ContentMustMatchTheExtension) {
    const std::string obj = "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n";
    expectError(writeFile("obj.ply", obj), "not a PLY file (no 'ply' header)");
    expectError(writeFile("obj.off", obj), "not an OFF file (no 'OFF' header)");
    std::string junk = "\x7f"
                       "ELF\x02\x01\x01";
    junk += std::string(64, '\0');
    expectError(writeFile("junk.obj", junk), "not an OBJ file");
    expectError(writeFile("words.obj", "hello world\nthis is text\n"),
                "not an OBJ file (no 'v' or 'f' lines)");
    expectError(writeFile("mesh.stl", obj), "unsupported mesh format");
    expectError(writeFile("scene.gltf", "{}"), "unsupported mesh format");
    expectError((scratch() / "missing.obj").string(), "cannot open file");
    expectError(writeFile("empty.ply", ""), "file is empty");
}

TEST(FieldMeshIo, TruncatedFiles) {
    const std::string full = binaryCubePly(true);
    const size_t headerEnd = full.find("end_header\n") + 11;
    for (size_t cut : {headerEnd + 3, headerEnd + 100, full.size() - 9, full.size() - 1}) {
        expectError(writeFile("cut.ply", full.substr(0, cut)), "truncated PLY data");
    }
    expectError(writeFile("cut_header.ply", full.substr(0, headerEnd - 5)), "truncated PLY header");
    // A face count far beyond the file size is caught before anything is reserved.
    std::string huge = full;
    huge.replace(huge.find("element face 6"), 14, "element face 999999999999");
    expectError(writeFile("huge.ply", huge), "truncated PLY data");
    expectError(writeFile("cut_ascii.ply",
                          "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                          "property float y\nproperty float z\nelement face 1\n"
                          "property list uchar int vertex_indices\nend_header\n0 0 0\n1 0"),
                "truncated PLY data");
    expectError(writeFile("cut.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n"), "truncated OFF file");
    expectError(writeFile("faceless.obj", "v 0 0 0\nv 1 0 0\n"), "no faces");
}

TEST(FieldMeshIo, BadValuesAndIndices) {
    expectError(writeFile("nan.obj", "v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n"), "NaN or infinite");
    expectError(writeFile("range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n"),
                "line 4: face index 4 out of range");
    expectError(writeFile("zero.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n"),
                "line 4: bad face index '0'");
    expectError(writeFile("rel.obj", "v 0 0 0\nv 1 0 0\nf -1 -2 -3\n"),
                "line 3: relative index -3");
    expectError(writeFile("two.obj", "v 0 0 0\nv 1 0 0\nf 1 2\n"), "fewer than 3 vertices");
    expectError(writeFile("badv.obj", "v 0 zero 0\n"), "line 1: bad vertex");
    expectError(writeFile("range.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n"),
                "bad face index '3'");
    expectError(writeFile("range.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                       "property float y\nproperty float z\nelement face 1\n"
                                       "property list uchar int vertex_indices\nend_header\n"
                                       "0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n"),
                "uses vertex 7");
    expectError(writeFile("neg.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                     "property float y\nproperty float z\nelement face 1\n"
                                     "property list uchar int vertex_indices\nend_header\n"
                                     "0 0 0\n1 0 0\n0 1 0\n3 0 1 -1\n"),
                "out of range");
    expectError(writeFile("noxyz.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
                                       "end_header\n0\n"),
                "lacks scalar x, y and z");
    expectError(writeFile("points.ply",
                          "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n"
                          "property float y\nproperty float z\nend_header\n0 0 0\n"),
                "no 'face' element");
    expectError(writeFile("fmt.ply", "ply\nformat binary_middle_endian 1.0\nend_header\n"),
                "unknown format");
}

} // namespace
