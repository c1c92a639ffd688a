#version 460
// Closest hit on a tri-plane SDF field (docs/fields.md): the normal from the
// field's analytic gradient, uvs by box projection, a ray-cone footprint for
// them, then the shading every surface shares (pathtrace/shade_surface.glsl).
#include "pathtrace/field_common.glsl"
#include "pathtrace/shade_surface.glsl"

hitAttributeEXT FieldHitAttributes fieldHit; // field.rint's hit point and march steps

void main() {
    FrameGlobals g = globals();
    GpuField f = hitField();
    vec3 pf = fieldHit.p;
    vec3 grad = fieldGradient(f, pf).yzw;
    // p_field = (p_object - c) * w: the object-space normal is the field
    // gradient's direction; normals go to the world by the inverse transpose.
    vec3 pObj = pf / f.fieldFromObject.w + f.fieldFromObject.xyz;
    vec3 p = gl_ObjectToWorldEXT * vec4(pObj, 1.0);
    vec3 wo = -gl_WorldRayDirectionEXT;
    mat3 normalToWorld = transpose(mat3(gl_WorldToObjectEXT));
    vec3 nw = normalToWorld * grad;
    vec3 ng = dot(nw, nw) > 1e-30 ? normalize(nw) : wo; // flat field (no gradient): face the ray
    if (dot(ng, wo) < 0.0) ng = -ng;

    // World units per field unit: the instance's mean scale.
    mat3 m = mat3(gl_ObjectToWorldEXT);
    float worldPerField = pow(abs(determinant(m)), 1.0 / 3.0) / f.fieldFromObject.w;

    // Box projection: the dominant axis of the field-space normal picks the
    // plane, uv = the other two field coordinates * 0.5 + 0.5 (both sets).
    // The footprint treats the surface as flat with uv spanning 0.5 per
    // field unit (uv area 0.25 per squared field unit).
    vec3 an = abs(grad);
    vec2 uv = an.x >= an.y && an.x >= an.z ? pf.yz : (an.y >= an.z ? pf.xz : pf.xy);
    uv = uv * 0.5 + 0.5;
    SurfaceHit h;
    h.coneWidth = payload.coneWidth + payload.coneSpread * gl_HitTEXT;
    h.cosIn = dot(ng, wo);
    h.tc.uv0 = uv;
    h.tc.uv1 = uv;
    h.tc.footprint0 = rayConeUvFootprint(h.coneWidth, h.cosIn, 0.25, worldPerField * worldPerField);
    h.tc.footprint1 = h.tc.footprint0;
    h.frame = frameFromNormal(ng);
    h.p = p;
    h.ng = ng;
    // Off the surface by twice the march's epsilon (field units), so rays
    // leaving it start outside its epsilon band; at least the triangles' offset.
    h.origin = offsetOrigin(p, ng) + ng * (2.0 * kFieldEpsilon * worldPerField);
    h.material = f.material;
    h.emitterArea = 0.0; // fields are not sampled as lights
    h.fieldSteps = fieldHit.steps;
    shadeSurface(g, h);
}
