#include "mesh_builders.h"

#include <algorithm>

namespace nerva::assetgen {
namespace {

float cosDegrees(float degrees) {
    return std::cos(degrees * kPi / 180.0f);
}

// Adds a grid of quads on the plane through `centre` spanned by `right` and
// `up` (right x up is the outward normal). cu / cup are increasing
// coordinates along right / up; `shape` maps a point of the plane to a
// (position, normal) pair. uv: u grows along right, v grows downwards.
template <class Shape>
void addGrid(MeshData& m, Vec3 centre, Vec3 right, Vec3 up, const std::vector<float>& cu,
             const std::vector<float>& cup, Vec2 uvScale, Shape shape) {
    const uint32_t base = static_cast<uint32_t>(m.positions.size());
    const uint32_t nu = static_cast<uint32_t>(cu.size());
    const uint32_t nv = static_cast<uint32_t>(cup.size());
    for (uint32_t j = 0; j < nv; ++j) {
        const float b = cup[nv - 1 - j]; // top row first
        for (uint32_t i = 0; i < nu; ++i) {
            const float a = cu[i];
            Vec3 position, normal;
            shape(centre + right * a + up * b, position, normal);
            m.positions.push_back(position);
            m.normals.push_back(normal);
            m.uv0.push_back({(a - cu.front()) * uvScale.x, (cup.back() - b) * uvScale.y});
        }
    }
    for (uint32_t j = 0; j + 1 < nv; ++j) {
        for (uint32_t i = 0; i + 1 < nu; ++i) {
            const uint32_t a = base + j * nu + i, b = a + 1, c = a + nu, d = c + 1;
            m.indices.insert(m.indices.end(), {a, c, b, b, c, d});
        }
    }
}

std::vector<float> uniformCoords(float half, int divisions) {
    std::vector<float> coords;
    for (int i = 0; i <= divisions; ++i)
        coords.push_back(-half + 2.0f * half * i / divisions);
    return coords;
}

// Coordinates along one box axis for a rounded box: `segments` steps across
// each rounded band, placed so that the arc is split into equal angles.
std::vector<float> roundedCoords(float half, float radius, int segments) {
    const float inner = half - radius;
    std::vector<float> coords;
    for (int k = segments; k >= 0; --k)
        coords.push_back(-(inner + radius * std::tan(0.25f * kPi * k / segments)));
    for (int k = 0; k <= segments; ++k)
        coords.push_back(inner + radius * std::tan(0.25f * kPi * k / segments));
    return coords;
}

struct Face {
    Vec3 normal, right, up;
};
constexpr Face kBoxFaces[6] = {
    {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}},  {{0, 0, -1}, {-1, 0, 0}, {0, 1, 0}},
    {{1, 0, 0}, {0, 0, -1}, {0, 1, 0}}, {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
    {{0, 1, 0}, {1, 0, 0}, {0, 0, -1}}, {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
};

float axisExtent(Vec3 axis, Vec3 halfExtent) {
    return std::abs(axis.x) * halfExtent.x + std::abs(axis.y) * halfExtent.y +
           std::abs(axis.z) * halfExtent.z;
}

} // namespace

MeshData makeLathe(const std::vector<ProfilePoint>& profile, int segments) {
    MeshData m;
    const size_t rows = profile.size();
    std::vector<float> arc(rows, 0.0f);
    for (size_t j = 1; j < rows; ++j) {
        const float dr = profile[j].r - profile[j - 1].r, dy = profile[j].y - profile[j - 1].y;
        arc[j] = arc[j - 1] + std::sqrt(dr * dr + dy * dy);
    }
    const float total = arc.back() > 0.0f ? arc.back() : 1.0f;
    const uint32_t cols = static_cast<uint32_t>(segments) + 1;
    for (size_t j = 0; j < rows; ++j) {
        const ProfilePoint& p = profile[j];
        for (int i = 0; i <= segments; ++i) {
            // A pole vertex sits in the middle of the one triangle it serves.
            const float u = (p.r == 0.0f ? (i + 0.5f) : float(i)) / segments;
            const float s = std::sin(2.0f * kPi * u), c = std::cos(2.0f * kPi * u);
            m.positions.push_back({-p.r * s, p.y, -p.r * c});
            m.normals.push_back(normalize(Vec3{-p.nr * s, p.ny, -p.nr * c}));
            m.uv0.push_back({u, arc[j] / total});
        }
    }
    for (size_t j = 0; j + 1 < rows; ++j) {
        const ProfilePoint &top = profile[j], &bottom = profile[j + 1];
        if (top.r == bottom.r && top.y == bottom.y) continue; // a crease
        const bool topPole = top.r == 0.0f, bottomPole = bottom.r == 0.0f;
        if (topPole && bottomPole) continue;
        for (uint32_t i = 0; i < static_cast<uint32_t>(segments); ++i) {
            const uint32_t a = static_cast<uint32_t>(j) * cols + i, b = a + 1, c = a + cols,
                           d = c + 1;
            if (topPole) {
                m.indices.insert(m.indices.end(), {a, c, d});
            } else if (bottomPole) {
                m.indices.insert(m.indices.end(), {a, c, b});
            } else {
                m.indices.insert(m.indices.end(), {a, c, b, b, c, d});
            }
        }
    }
    computeTangents(m);
    return m;
}

std::vector<ProfilePoint> profileFromPolyline(const std::vector<Vec2>& points,
                                              float creaseDegrees) {
    auto edgeNormal = [&](size_t from) {
        const float dr = points[from + 1].x - points[from].x;
        const float dy = points[from + 1].y - points[from].y;
        const float len = std::sqrt(dr * dr + dy * dy);
        return Vec2{-dy / len, dr / len};
    };
    const float creaseCos = cosDegrees(creaseDegrees);
    std::vector<ProfilePoint> out;
    for (size_t j = 0; j < points.size(); ++j) {
        const Vec2 p = points[j];
        if (j == 0 || j + 1 == points.size()) {
            Vec2 n = edgeNormal(j == 0 ? 0 : j - 1);
            if (p.x == 0.0f) n = {0.0f, n.y >= 0.0f ? 1.0f : -1.0f};
            out.push_back({p.x, p.y, n.x, n.y});
            continue;
        }
        const Vec2 a = edgeNormal(j - 1), b = edgeNormal(j);
        if (a.x * b.x + a.y * b.y < creaseCos) {
            out.push_back({p.x, p.y, a.x, a.y});
            out.push_back({p.x, p.y, b.x, b.y});
        } else {
            const float nr = a.x + b.x, ny = a.y + b.y, len = std::sqrt(nr * nr + ny * ny);
            out.push_back({p.x, p.y, nr / len, ny / len});
        }
    }
    return out;
}

MeshData makeUvSphere(float radius, int segments, int rings) {
    std::vector<ProfilePoint> profile;
    for (int k = 0; k <= rings; ++k) {
        const float theta = kPi * k / rings;
        const float s = (k == 0 || k == rings) ? 0.0f : std::sin(theta);
        const float c = std::cos(theta);
        profile.push_back({radius * s, radius * c, s, c});
    }
    return makeLathe(profile, segments);
}

MeshData makeTorus(float majorRadius, float minorRadius, int segments, int sides) {
    std::vector<ProfilePoint> profile;
    for (int k = 0; k <= sides; ++k) {
        // Start at the top of the tube and walk down its outside.
        const float a = 0.5f * kPi - 2.0f * kPi * (k % sides) / sides;
        const float c = std::cos(a), s = std::sin(a);
        profile.push_back({majorRadius + minorRadius * c, minorRadius * s, c, s});
    }
    return makeLathe(profile, segments);
}

MeshData makeCylinder(float radius, float height, int segments, bool caps) {
    const float h = 0.5f * height;
    std::vector<ProfilePoint> profile;
    if (caps) profile.insert(profile.end(), {{0.0f, h, 0.0f, 1.0f}, {radius, h, 0.0f, 1.0f}});
    for (int k = 0; k <= 4; ++k)
        profile.push_back({radius, h - height * k / 4, 1.0f, 0.0f});
    if (caps) profile.insert(profile.end(), {{radius, -h, 0.0f, -1.0f}, {0.0f, -h, 0.0f, -1.0f}});
    return makeLathe(profile, segments);
}

MeshData makeShaderBall(int segments) {
    std::vector<Vec2> line;
    const float ballRadius = 0.32f, ballCentre = 0.62f;
    for (int k = 0; k <= 48; ++k) { // from the top pole down to 55 degrees below the equator
        const float a = 0.5f * kPi - (0.5f * kPi + 55.0f * kPi / 180.0f) * k / 48;
        line.push_back(
            {k == 0 ? 0.0f : ballRadius * std::cos(a), ballCentre + ballRadius * std::sin(a)});
    }
    line.insert(line.end(), {{0.11f, 0.30f}, {0.11f, 0.235f}, {0.11f, 0.17f}});
    for (int k = 1; k <= 12; ++k) { // the flare: a quadratic Bezier curve
        const float t = k / 12.0f, s = 1.0f - t;
        const Vec2 p0{0.11f, 0.17f}, p1{0.11f, 0.08f}, p2{0.34f, 0.075f};
        line.push_back({s * s * p0.x + 2 * s * t * p1.x + t * t * p2.x,
                        s * s * p0.y + 2 * s * t * p1.y + t * t * p2.y});
    }
    for (int k = 1; k <= 6; ++k) { // a rounded rim
        const float a = 0.5f * kPi * (1.0f - k / 6.0f);
        line.push_back({0.40f + 0.02f * std::cos(a), 0.05f + 0.02f * std::sin(a)});
    }
    line.insert(line.end(), {{0.42f, 0.0f}, {0.21f, 0.0f}, {0.0f, 0.0f}});
    return makeLathe(profileFromPolyline(line, 30.0f), segments);
}

MeshData makeBox(Vec3 halfExtent, float uvPerMetre) {
    MeshData m;
    for (const Face& f : kBoxFaces) {
        const float hu = axisExtent(f.right, halfExtent), hv = axisExtent(f.up, halfExtent);
        addGrid(m, f.normal * axisExtent(f.normal, halfExtent), f.right, f.up, {-hu, hu}, {-hv, hv},
                {uvPerMetre, uvPerMetre}, [&](Vec3 p, Vec3& pos, Vec3& n) {
                    pos = p;
                    n = f.normal;
                });
    }
    computeTangents(m);
    return m;
}

MeshData makeRoundedBox(Vec3 halfExtent, float radius, int bevelSegments, float uvPerMetre) {
    MeshData m;
    const Vec3 inner = halfExtent - Vec3{radius, radius, radius};
    for (const Face& f : kBoxFaces) {
        const float hu = axisExtent(f.right, halfExtent), hv = axisExtent(f.up, halfExtent);
        addGrid(m, f.normal * axisExtent(f.normal, halfExtent), f.right, f.up,
                roundedCoords(hu, radius, bevelSegments), roundedCoords(hv, radius, bevelSegments),
                {uvPerMetre, uvPerMetre}, [&](Vec3 p, Vec3& pos, Vec3& n) {
                    const Vec3 q{std::clamp(p.x, -inner.x, inner.x),
                                 std::clamp(p.y, -inner.y, inner.y),
                                 std::clamp(p.z, -inner.z, inner.z)};
                    n = normalize(p - q);
                    pos = q + n * radius;
                });
    }
    computeTangents(m);
    return m;
}

MeshData makePlane(float sizeX, float sizeZ, int divisionsX, int divisionsZ) {
    MeshData m;
    addGrid(m, {0, 0, 0}, {1, 0, 0}, {0, 0, -1}, uniformCoords(0.5f * sizeX, divisionsX),
            uniformCoords(0.5f * sizeZ, divisionsZ), {1.0f / sizeX, 1.0f / sizeZ},
            [](Vec3 p, Vec3& pos, Vec3& n) {
                pos = p;
                n = {0, 1, 0};
            });
    computeTangents(m);
    return m;
}

MeshData makeQuad(float width, float height) {
    MeshData m;
    addGrid(m, {0, 0, 0}, {1, 0, 0}, {0, 1, 0}, uniformCoords(0.5f * width, 1),
            uniformCoords(0.5f * height, 1), {1.0f / width, 1.0f / height},
            [](Vec3 p, Vec3& pos, Vec3& n) {
                pos = p;
                n = {0, 0, 1};
            });
    computeTangents(m);
    return m;
}

void addRotatedUv1(MeshData& mesh, float scale) {
    mesh.uv1.clear();
    for (const Vec2& uv : mesh.uv0)
        mesh.uv1.push_back({uv.y * scale, (1.0f - uv.x) * scale});
}

void computeTangents(MeshData& m) {
    const size_t n = m.positions.size();
    std::vector<Vec3> dpdu(n), dpdv(n);
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
        const uint32_t i0 = m.indices[t], i1 = m.indices[t + 1], i2 = m.indices[t + 2];
        const Vec3 e1 = m.positions[i1] - m.positions[i0], e2 = m.positions[i2] - m.positions[i0];
        const float du1 = m.uv0[i1].x - m.uv0[i0].x, dv1 = m.uv0[i1].y - m.uv0[i0].y;
        const float du2 = m.uv0[i2].x - m.uv0[i0].x, dv2 = m.uv0[i2].y - m.uv0[i0].y;
        const float det = du1 * dv2 - du2 * dv1;
        if (std::abs(det) < 1e-12f) continue;
        // dP/du and dP/dv, weighted by the triangle's area in uv space.
        const float sign = det > 0.0f ? 1.0f : -1.0f;
        const Vec3 tu = (e1 * dv2 - e2 * dv1) * sign, tv = (e2 * du1 - e1 * du2) * sign;
        for (uint32_t i : {i0, i1, i2}) {
            dpdu[i] = dpdu[i] + tu;
            dpdv[i] = dpdv[i] + tv;
        }
    }
    m.tangents.assign(n, Vec4{});
    for (size_t i = 0; i < n; ++i) {
        const Vec3 nrm = m.normals[i];
        Vec3 t = dpdu[i] - nrm * dot(nrm, dpdu[i]);
        if (length(t) < 1e-9f) { // no uv gradient here: any perpendicular will do
            const Vec3 axis = std::abs(nrm.x) < 0.9f ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
            t = cross(axis, nrm);
        }
        t = normalize(t);
        // glTF's bitangent cross(n, t) * w points towards decreasing v.
        const float w = dot(cross(nrm, t), dpdv[i]) > 0.0f ? -1.0f : 1.0f;
        m.tangents[i] = {t.x, t.y, t.z, w};
    }
}

} // namespace nerva::assetgen
