// The grooved shader ball of the material library (see mesh_builders.h).
#include "mesh_builders.h"

#include <algorithm>
#include <cstddef>

namespace nerva::assetgen {
namespace {

constexpr float kBallRadius = 0.30f, kBallCentre = 0.40f;
constexpr float kCoreRadius = 0.26f;    // the inner core the groove reveals
constexpr float kGrooveLatitude = 9.0f; // degrees: the groove spans +-9 degrees
constexpr float kNeckRadius = 0.10f;    // where the ball meets the pedestal
constexpr float kBaseRadius = 0.20f, kBaseHeight = 0.05f;

float deg(float degrees) {
    return degrees * kPi / 180.0f;
}

// Points on the outer sphere from latitude `from` to `to` (degrees), both
// ends included, `steps` segments.
void addArc(std::vector<Vec2>& line, float radius, float from, float to, int steps) {
    for (int k = 0; k <= steps; ++k) {
        const float lat = deg(from + (to - from) * k / steps);
        const float r = std::abs(lat - 0.5f * kPi) < 1e-6f ? 0.0f : radius * std::cos(lat);
        line.push_back({r, kBallCentre + radius * std::sin(lat)});
    }
}

// Replaces corner `j` of the polyline by a circular arc of `radius` tangent
// to both edges (steps segments). Returns the index just past the arc.
size_t fillet(std::vector<Vec2>& line, size_t j, float radius, int steps) {
    const Vec2 p = line[j], a = line[j - 1], b = line[j + 1];
    auto unit = [](Vec2 v) {
        const float len = std::sqrt(v.x * v.x + v.y * v.y);
        return Vec2{v.x / len, v.y / len};
    };
    const Vec2 u1 = unit({a.x - p.x, a.y - p.y}), u2 = unit({b.x - p.x, b.y - p.y});
    const float angle = std::acos(std::clamp(u1.x * u2.x + u1.y * u2.y, -1.0f, 1.0f));
    const float d = radius / std::tan(0.5f * angle), h = radius / std::sin(0.5f * angle);
    const Vec2 bis = unit({u1.x + u2.x, u1.y + u2.y});
    const Vec2 centre{p.x + bis.x * h, p.y + bis.y * h};
    const Vec2 t1{p.x + u1.x * d, p.y + u1.y * d}, t2{p.x + u2.x * d, p.y + u2.y * d};
    const float a1 = std::atan2(t1.y - centre.y, t1.x - centre.x);
    float a2 = std::atan2(t2.y - centre.y, t2.x - centre.x);
    // The short way round (the arc spans pi - angle).
    if (a2 - a1 > kPi) a2 -= 2.0f * kPi;
    if (a1 - a2 > kPi) a2 += 2.0f * kPi;
    std::vector<Vec2> arc;
    for (int k = 0; k <= steps; ++k) {
        const float t = a1 + (a2 - a1) * k / steps;
        arc.push_back({centre.x + radius * std::cos(t), centre.y + radius * std::sin(t)});
    }
    line.erase(line.begin() + static_cast<std::ptrdiff_t>(j));
    line.insert(line.begin() + static_cast<std::ptrdiff_t>(j), arc.begin(), arc.end());
    return j + arc.size();
}

// Lathe with u repeated uRepeats times around and v in the same metric
// units as u on a circle of radius `uvRadius`.
MeshData latheWithUniformUv(const std::vector<Vec2>& line, int segments, int uRepeats,
                            float uvRadius) {
    const std::vector<ProfilePoint> profile = profileFromPolyline(line, 30.0f);
    float total = 0.0f;
    for (size_t j = 1; j < profile.size(); ++j)
        total += std::hypot(profile[j].r - profile[j - 1].r, profile[j].y - profile[j - 1].y);
    const float uvUnit = 2.0f * kPi * uvRadius / uRepeats; // metres per uv unit
    MeshData mesh = makeLathe(profile, segments);
    for (Vec2& uv : mesh.uv0)
        uv = {uv.x * uRepeats, uv.y * total / uvUnit};
    computeTangents(mesh);
    return mesh;
}

} // namespace

ShaderBallMeshes makeGroovedShaderBall(int segments, int uRepeats) {
    const float g = kBallRadius * std::sin(deg(kGrooveLatitude)); // groove half height
    const float coreLatitude = std::asin(g / kCoreRadius) * 180.0f / kPi;
    const float bottomLatitude = -std::acos(kNeckRadius / kBallRadius) * 180.0f / kPi;

    std::vector<Vec2> ball;
    addArc(ball, kBallRadius, 90.0f, kGrooveLatitude, 20);
    const size_t topEdge = ball.size() - 1;
    addArc(ball, kCoreRadius, coreLatitude, -coreLatitude, 6);
    const size_t coreTop = topEdge + 1, coreBottom = ball.size() - 1;
    addArc(ball, kBallRadius, -kGrooveLatitude, bottomLatitude, 15);
    const size_t bottomEdge = coreBottom + 1;
    // Round the four groove corners, last first so that indices stay valid.
    fillet(ball, bottomEdge, 0.006f, 4);
    fillet(ball, coreBottom, 0.004f, 4);
    fillet(ball, coreTop, 0.004f, 4);
    fillet(ball, topEdge, 0.006f, 4);

    std::vector<Vec2> stand;
    // The neck starts a little inside the ball so that no gap shows.
    const float neckTop = kBallCentre + kBallRadius * std::sin(deg(bottomLatitude)) + 0.01f;
    stand.push_back({0.0f, neckTop});
    stand.push_back({kNeckRadius, neckTop});
    stand.push_back({kNeckRadius, kBaseHeight});
    const size_t neckFoot = stand.size() - 1;
    stand.push_back({kBaseRadius, kBaseHeight});
    const size_t rim = stand.size() - 1;
    stand.push_back({kBaseRadius, 0.0f});
    const size_t foot = stand.size() - 1;
    stand.push_back({0.0f, 0.0f});
    fillet(stand, foot, 0.004f, 4);
    fillet(stand, rim, 0.012f, 4);
    fillet(stand, neckFoot, 0.015f, 4);

    ShaderBallMeshes meshes;
    meshes.ball = latheWithUniformUv(ball, segments, uRepeats, kBallRadius);
    meshes.pedestal = latheWithUniformUv(stand, segments, uRepeats, kBallRadius);
    return meshes;
}

} // namespace nerva::assetgen
