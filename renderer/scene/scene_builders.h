// Small scenes built in code: a UV sphere, a quad, a pure-Lambert material,
// a look-at camera and one-primitive objects, straight into the CPU scene
// model (no files). Used by the light-transport tests and `nerva bench`.
#pragma once

#include "renderer/scene/scene_model.h"

#include <glm/gtc/matrix_transform.hpp>

#include <cmath>

namespace nerva::scene {

inline Primitive uvSphere(glm::vec3 center, float radius, int rings = 48, int segments = 96) {
    Primitive p;
    for (int r = 0; r <= rings; ++r) {
        const float theta = float(M_PI) * float(r) / float(rings);
        for (int s = 0; s <= segments; ++s) {
            const float phi = 2.0f * float(M_PI) * float(s) / float(segments);
            const glm::vec3 n(std::sin(theta) * std::cos(phi), std::cos(theta),
                              std::sin(theta) * std::sin(phi));
            p.positions.push_back(center + radius * n);
            p.normals.push_back(n);
            p.uv0.push_back({float(s) / float(segments), float(r) / float(rings)});
        }
    }
    const uint32_t row = uint32_t(segments + 1);
    for (uint32_t r = 0; r < uint32_t(rings); ++r)
        for (uint32_t s = 0; s < uint32_t(segments); ++s) {
            const uint32_t a = r * row + s, b = a + row;
            if (r != 0) p.indices.insert(p.indices.end(), {a, a + 1, b});
            if (r + 1 != uint32_t(rings)) p.indices.insert(p.indices.end(), {a + 1, b + 1, b});
        }
    return p;
}

// A quad spanned by two edge vectors from a corner, facing cross(u, v).
inline Primitive quad(glm::vec3 corner, glm::vec3 u, glm::vec3 v) {
    Primitive p;
    const glm::vec3 n = glm::normalize(glm::cross(u, v));
    p.positions = {corner, corner + u, corner + u + v, corner + v};
    p.normals = {n, n, n, n};
    p.uv0 = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    p.indices = {0, 1, 2, 0, 2, 3};
    return p;
}

inline Material lambert(glm::vec3 albedo) {
    Material m;
    m.baseColorFactor = glm::vec4(albedo, 1.0f);
    m.metallicFactor = 0.0f;
    m.roughnessFactor = 1.0f;
    m.specularFactor = 0.0f; // no dielectric lobe: pure Lambert
    return m;
}

inline Camera lookAt(glm::vec3 from, glm::vec3 at, float yfovRadians) {
    Camera c;
    c.name = "test";
    c.yfov = yfovRadians;
    c.toWorld = glm::inverse(glm::lookAt(from, at, glm::vec3(0, 1, 0)));
    return c;
}

// Adds a mesh of one primitive with its own material, placed at identity.
inline void addObject(Scene& s, Primitive p, const Material& m) {
    p.material = int32_t(s.materials.size());
    s.materials.push_back(m);
    Mesh mesh;
    mesh.primitives.push_back(std::move(p));
    s.instances.push_back({uint32_t(s.meshes.size()), glm::mat4(1.0f), "object"});
    s.meshes.push_back(std::move(mesh));
}

} // namespace nerva::scene
