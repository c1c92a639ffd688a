// The glTF node hierarchy flattened into world-space instances, cameras and
// KHR_lights_punctual lights, plus the scene's world bounds.
#include "renderer/scene/gltf_internal.h"

#include "neural/formats/ntri.h"

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

#include <cmath>
#include <limits>

namespace nerva::scene::gltf {

namespace {

std::string nodeLabel(const tinygltf::Model& m, size_t i) {
    return label("node", i, m.nodes[i].name);
}

void checkRef(const LoadContext& ctx, int ref, size_t count, const std::string& where,
              const char* kind) {
    if (ref == -1 || (ref >= 0 && size_t(ref) < count)) return;
    const std::string plural = std::string(kind) == "mesh" ? "meshes" : std::string(kind) + "s";
    ctx.fail(where + " references " + kind + " " + std::to_string(ref) + ", out of range (" +
             std::to_string(count) + " " + plural + ")");
}

// The light index a node's KHR_lights_punctual extension names, or -1.
int nodeLight(const LoadContext& ctx, const tinygltf::Node& node, const std::string& where) {
    auto it = node.extensions.find("KHR_lights_punctual");
    if (it == node.extensions.end()) return -1;
    const tinygltf::Value& v = it->second;
    if (!v.IsObject() || !v.Has("light") || !v.Get("light").IsInt()) {
        ctx.fail(where + ": KHR_lights_punctual has no integer 'light'");
    }
    const int light = v.Get("light").GetNumberAsInt();
    if (light < 0) ctx.fail(where + " references light " + std::to_string(light));
    return light;
}

void checkNodes(LoadContext& ctx) {
    const tinygltf::Model& m = ctx.model;
    for (size_t i = 0; i < m.nodes.size(); ++i) {
        const tinygltf::Node& n = m.nodes[i];
        const std::string where = nodeLabel(m, i);
        checkRef(ctx, n.mesh, m.meshes.size(), where, "mesh");
        checkRef(ctx, n.camera, m.cameras.size(), where, "camera");
        checkRef(ctx, n.skin, m.skins.size(), where, "skin");
        checkRef(ctx, nodeLight(ctx, n, where), m.lights.size(), where, "light");
        for (int child : n.children) {
            if (child < 0) ctx.fail(where + " references node " + std::to_string(child));
            checkRef(ctx, child, m.nodes.size(), where, "node");
        }
    }
}

// Depth-first search over all nodes; a child found on the current path is a cycle.
void checkAcyclic(const LoadContext& ctx) {
    const tinygltf::Model& m = ctx.model;
    enum : uint8_t { Unseen, OnPath, Done };
    std::vector<uint8_t> state(m.nodes.size(), Unseen);
    std::vector<std::pair<size_t, size_t>> stack; // node, next child to visit
    for (size_t start = 0; start < m.nodes.size(); ++start) {
        if (state[start] != Unseen) continue;
        stack.push_back({start, 0});
        state[start] = OnPath;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            const std::vector<int>& children = m.nodes[node].children;
            if (next == children.size()) {
                state[node] = Done;
                stack.pop_back();
                continue;
            }
            const size_t child = size_t(children[next++]);
            if (state[child] == OnPath) {
                ctx.fail("node cycle: " + nodeLabel(m, child) + " is its own ancestor (child of " +
                         nodeLabel(m, node) + ")");
            }
            if (state[child] == Unseen) {
                state[child] = OnPath;
                stack.push_back({child, 0});
            }
        }
    }
}

template <int N>
glm::vec<N, float> components(const LoadContext& ctx, const std::vector<double>& v,
                              const std::string& where, const char* what) {
    if (v.size() != size_t(N)) {
        ctx.fail(where + " " + what + " has " + std::to_string(v.size()) + " values, need " +
                 std::to_string(N));
    }
    glm::vec<N, float> out;
    for (int i = 0; i < N; ++i)
        out[i] = float(v[size_t(i)]);
    return out;
}

glm::mat4 localMatrix(const LoadContext& ctx, const tinygltf::Node& n, const std::string& where) {
    glm::mat4 local(1.0f);
    if (!n.matrix.empty()) {
        if (n.matrix.size() != 16)
            ctx.fail(where + " matrix has " + std::to_string(n.matrix.size()) + " values, need 16");
        for (int c = 0; c < 4; ++c) {
            for (int r = 0; r < 4; ++r)
                local[c][r] = float(n.matrix[size_t(c * 4 + r)]);
        }
    } else {
        glm::mat4 t(1.0f), r(1.0f), s(1.0f);
        if (!n.translation.empty()) {
            t = glm::translate(glm::mat4(1.0f),
                               components<3>(ctx, n.translation, where, "translation"));
        }
        if (!n.rotation.empty()) {
            const glm::vec4 q = components<4>(ctx, n.rotation, where, "rotation");
            const float len = glm::length(q);
            if (!(len > 0.0f)) ctx.fail(where + " rotation is not a unit quaternion");
            r = glm::mat4_cast(glm::quat(q.w, q.x, q.y, q.z) / len); // glTF stores x, y, z, w
        }
        if (!n.scale.empty())
            s = glm::scale(glm::mat4(1.0f), components<3>(ctx, n.scale, where, "scale"));
        local = t * r * s;
    }
    for (int c = 0; c < 4; ++c) {
        for (int r = 0; r < 4; ++r) {
            if (!std::isfinite(local[c][r])) ctx.fail(where + " has a non-finite transform");
        }
    }
    return local;
}

// Cameras and lights take the name of the node that places them, else their
// own, else "<kind>[index]".
std::string placedName(const tinygltf::Node& node, const std::string& own, const char* kind,
                       int index) {
    if (!node.name.empty()) return node.name;
    if (!own.empty()) return own;
    return std::string(kind) + "[" + std::to_string(index) + "]";
}

Camera convertCamera(const LoadContext& ctx, const tinygltf::Node& node, int index,
                     const glm::mat4& world) {
    const tinygltf::Camera& src = ctx.model.cameras[size_t(index)];
    const std::string where = label("camera", size_t(index), src.name);
    Camera cam;
    cam.name = placedName(node, src.name, "camera", index);
    cam.toWorld = world;
    if (src.type == "perspective") {
        const tinygltf::PerspectiveCamera& p = src.perspective;
        if (!(p.yfov > 0.0 && p.yfov < 3.14159265)) ctx.fail(where + " has invalid yfov");
        if (!(p.znear > 0.0)) ctx.fail(where + " has invalid znear (must be > 0)");
        if (p.zfar != 0.0 && !(p.zfar > p.znear)) ctx.fail(where + " has zfar <= znear");
        if (p.aspectRatio < 0.0) ctx.fail(where + " has a negative aspectRatio");
        cam.perspective = true;
        cam.yfov = float(p.yfov);
        cam.aspect = float(p.aspectRatio);
        cam.znear = float(p.znear);
        // glTF: no zfar means an infinite projection.
        cam.zfar = p.zfar == 0.0 ? std::numeric_limits<float>::infinity() : float(p.zfar);
    } else if (src.type == "orthographic") {
        const tinygltf::OrthographicCamera& o = src.orthographic;
        if (o.xmag == 0.0 || o.ymag == 0.0) ctx.fail(where + " has zero xmag or ymag");
        if (!(o.znear >= 0.0) || !(o.zfar > o.znear)) ctx.fail(where + " has invalid znear/zfar");
        cam.perspective = false;
        cam.xmag = float(o.xmag);
        cam.ymag = float(o.ymag);
        cam.znear = float(o.znear);
        cam.zfar = float(o.zfar);
    } else {
        ctx.fail(where + " has invalid type '" + src.type + "'");
    }
    return cam;
}

Light convertLight(const LoadContext& ctx, const tinygltf::Node& node, int index,
                   const glm::mat4& world) {
    const tinygltf::Light& src = ctx.model.lights[size_t(index)];
    const std::string where = label("light", size_t(index), src.name);
    Light light;
    light.name = placedName(node, src.name, "light", index);
    if (src.type == "directional") {
        light.type = LightType::Directional;
    } else if (src.type == "point") {
        light.type = LightType::Point;
    } else if (src.type == "spot") {
        light.type = LightType::Spot;
        const double inner = src.spot.innerConeAngle, outer = src.spot.outerConeAngle;
        if (!(inner >= 0.0 && inner < outer && outer <= 1.5707964)) {
            ctx.fail(where + " has invalid cone angles (need 0 <= inner < outer <= pi/2)");
        }
        light.innerConeAngle = float(inner);
        light.outerConeAngle = float(outer);
    } else {
        ctx.fail(where + " has invalid type '" + src.type + "'");
    }
    if (!src.color.empty()) light.color = components<3>(ctx, src.color, where, "color");
    if (!(src.intensity >= 0.0)) ctx.fail(where + " has a negative intensity");
    if (!(src.range >= 0.0)) ctx.fail(where + " has a negative range");
    light.intensity = float(src.intensity);
    light.range = float(src.range);
    light.position = glm::vec3(world[3]);
    const glm::vec3 dir = glm::mat3(world) * glm::vec3(0.0f, 0.0f, -1.0f);
    const float len = glm::length(dir);
    if (len > 0.0f && std::isfinite(len)) light.direction = dir / len;
    return light;
}

// A node's NERVA_field extension (docs/fields.md): {"uri": "x.ntri",
// "material": index}; the node's world transform places the field box.
void convertField(LoadContext& ctx, const tinygltf::Node& node, const std::string& where,
                  const std::string& name, const glm::mat4& world) {
    auto it = node.extensions.find("NERVA_field");
    if (it == node.extensions.end()) return;
    const tinygltf::Value& v = it->second;
    if (!v.IsObject() || !v.Has("uri") || !v.Get("uri").IsString())
        ctx.fail(where + ": NERVA_field has no string 'uri'");
    Field f;
    f.node = name;
    f.toWorld = world;
    if (v.Has("material")) {
        if (!v.Get("material").IsInt())
            ctx.fail(where + ": NERVA_field 'material' is not an index");
        f.material = v.Get("material").GetNumberAsInt();
        if (f.material < 0 || size_t(f.material) >= ctx.scene->materials.size())
            ctx.fail(where + ": NERVA_field references material " + std::to_string(f.material) +
                     ", out of range (" + std::to_string(ctx.scene->materials.size()) +
                     " materials)");
    }
    f.uri = resolveUri(ctx, v.Get("uri").Get<std::string>());
    f.asset = std::make_shared<const formats::NtriAsset>(formats::readNtri(f.uri));
    ctx.scene->fields.push_back(std::move(f));
}

std::vector<int> rootNodes(const LoadContext& ctx) {
    const tinygltf::Model& m = ctx.model;
    if (m.defaultScene < -1 || (m.defaultScene >= 0 && size_t(m.defaultScene) >= m.scenes.size())) {
        ctx.fail("default scene " + std::to_string(m.defaultScene) + " is out of range (" +
                 std::to_string(m.scenes.size()) + " scenes)");
    }
    if (!m.scenes.empty()) {
        const size_t s = m.defaultScene >= 0 ? size_t(m.defaultScene) : 0;
        for (int root : m.scenes[s].nodes) {
            if (root < 0)
                ctx.fail(label("scene", s, m.scenes[s].name) + " references node " +
                         std::to_string(root));
            checkRef(ctx, root, m.nodes.size(), label("scene", s, m.scenes[s].name), "node");
        }
        return m.scenes[s].nodes;
    }
    std::vector<bool> isChild(m.nodes.size(), false);
    for (const tinygltf::Node& n : m.nodes) {
        for (int c : n.children)
            isChild[size_t(c)] = true;
    }
    std::vector<int> roots;
    for (size_t i = 0; i < m.nodes.size(); ++i) {
        if (!isChild[i]) roots.push_back(int(i));
    }
    return roots;
}

void computeBounds(Scene& s) {
    std::vector<glm::vec3> lo(s.meshes.size(), glm::vec3(std::numeric_limits<float>::max()));
    std::vector<glm::vec3> hi(s.meshes.size(), glm::vec3(std::numeric_limits<float>::lowest()));
    for (size_t m = 0; m < s.meshes.size(); ++m) {
        for (const Primitive& p : s.meshes[m].primitives) {
            for (const glm::vec3& v : p.positions) {
                lo[m] = glm::min(lo[m], v);
                hi[m] = glm::max(hi[m], v);
            }
        }
    }
    glm::vec3 wlo(std::numeric_limits<float>::max()), whi(std::numeric_limits<float>::lowest());
    for (const Instance& inst : s.instances) {
        for (int corner = 0; corner < 8; ++corner) {
            const glm::vec3 c((corner & 1) ? hi[inst.mesh].x : lo[inst.mesh].x,
                              (corner & 2) ? hi[inst.mesh].y : lo[inst.mesh].y,
                              (corner & 4) ? hi[inst.mesh].z : lo[inst.mesh].z);
            const glm::vec3 w = glm::vec3(inst.toWorld * glm::vec4(c, 1.0f));
            wlo = glm::min(wlo, w);
            whi = glm::max(whi, w);
        }
    }
    for (const Field& f : s.fields) {
        for (int corner = 0; corner < 8; ++corner) {
            const glm::vec4 c((corner & 1) ? 1.0f : -1.0f, (corner & 2) ? 1.0f : -1.0f,
                              (corner & 4) ? 1.0f : -1.0f, 1.0f);
            const glm::vec3 w = glm::vec3(f.toWorld * c);
            wlo = glm::min(wlo, w);
            whi = glm::max(whi, w);
        }
    }
    if (s.instances.empty() && s.fields.empty()) wlo = whi = glm::vec3(0.0f);
    s.boundsMin = wlo;
    s.boundsMax = whi;
}

} // namespace

void convertNodes(LoadContext& ctx) {
    const tinygltf::Model& m = ctx.model;
    Scene& s = *ctx.scene;
    checkNodes(ctx);
    checkAcyclic(ctx);
    // glTF node hierarchies are disjoint trees; a shared child would also let
    // a small file expand into exponentially many instances.
    std::vector<int> parent(m.nodes.size(), -1);
    for (size_t i = 0; i < m.nodes.size(); ++i) {
        for (int c : m.nodes[i].children) {
            if (parent[size_t(c)] != -1) {
                ctx.fail(nodeLabel(m, size_t(c)) + " has more than one parent (" +
                         nodeLabel(m, size_t(parent[size_t(c)])) + " and " + nodeLabel(m, i) + ")");
            }
            parent[size_t(c)] = int(i);
        }
    }

    std::vector<std::pair<int, glm::mat4>> stack;
    const std::vector<int> roots = rootNodes(ctx);
    for (auto it = roots.rbegin(); it != roots.rend(); ++it)
        stack.push_back({*it, glm::mat4(1.0f)});
    while (!stack.empty()) {
        const auto [index, parentWorld] = stack.back();
        stack.pop_back();
        const tinygltf::Node& node = m.nodes[size_t(index)];
        const std::string where = nodeLabel(m, size_t(index));
        const glm::mat4 world = parentWorld * localMatrix(ctx, node, where);
        if (node.mesh >= 0 && !s.meshes[size_t(node.mesh)].primitives.empty()) {
            const std::string name =
                node.name.empty() ? "node[" + std::to_string(index) + "]" : node.name;
            s.instances.push_back(Instance{uint32_t(node.mesh), world, name});
        }
        convertField(ctx, node, where,
                     node.name.empty() ? "node[" + std::to_string(index) + "]" : node.name, world);
        if (node.camera >= 0) s.cameras.push_back(convertCamera(ctx, node, node.camera, world));
        if (const int light = nodeLight(ctx, node, where); light >= 0) {
            s.lights.push_back(convertLight(ctx, node, light, world));
        }
        for (auto c = node.children.rbegin(); c != node.children.rend(); ++c) {
            stack.push_back({*c, world});
        }
    }
    computeBounds(s);
}

} // namespace nerva::scene::gltf
