// Acceleration structures of a GpuScene: one BLAS per mesh (a geometry per
// primitive, so gl_GeometryIndexEXT selects the primitive's record) and one
// TLAS whose instances carry the mesh's first record as custom index, plus
// the one-AABB BLASes of tri-plane fields (their instances: gpu_fields.cpp).
#include "gpu_scene.h"

#include "neural/core/error.h"
#include "renderer/vk/check.h"

#include <cstring>

namespace nerva::gpu {
namespace {

AccelerationStructure createAs(const vk::Context& ctx, VkAccelerationStructureTypeKHR type,
                               VkDeviceSize size) {
    AccelerationStructure as;
    as.storage = vk::createBuffer(ctx, size, VK_BUFFER_USAGE_ACCELERATION_STRUCTURE_STORAGE_BIT_KHR,
                                  vk::MemoryUse::Device);
    VkAccelerationStructureCreateInfoKHR ci{
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_CREATE_INFO_KHR};
    ci.buffer = as.storage.get();
    ci.size = size;
    ci.type = type;
    VkAccelerationStructureKHR handle = VK_NULL_HANDLE;
    VK_CHECK(ctx.rt().createAccelerationStructure(ctx.device(), &ci, nullptr, &handle));
    as.handle = {ctx.device(), handle, ctx.rt().destroyAccelerationStructure};
    VkAccelerationStructureDeviceAddressInfoKHR ai{
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_DEVICE_ADDRESS_INFO_KHR};
    ai.accelerationStructure = handle;
    as.address = ctx.rt().getAccelerationStructureDeviceAddress(ctx.device(), &ai);
    return as;
}

// A scratch buffer whose returned address honours the device's alignment.
struct Scratch {
    vk::Buffer buffer;
    VkDeviceAddress address = 0;
};
Scratch createScratch(const vk::Context& ctx, VkDeviceSize size) {
    VkPhysicalDeviceAccelerationStructurePropertiesKHR asProps{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ACCELERATION_STRUCTURE_PROPERTIES_KHR};
    VkPhysicalDeviceProperties2 p2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &asProps};
    vkGetPhysicalDeviceProperties2(ctx.physicalDevice(), &p2);
    const VkDeviceSize align =
        std::max<VkDeviceSize>(asProps.minAccelerationStructureScratchOffsetAlignment, 1);
    Scratch s;
    s.buffer = vk::createBuffer(ctx, size + align, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                                vk::MemoryUse::Device);
    s.address = (s.buffer.address + align - 1) / align * align;
    return s;
}

void buildBarrier(VkCommandBuffer cmd) {
    VkMemoryBarrier2 b{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    b.srcStageMask = VK_PIPELINE_STAGE_2_ACCELERATION_STRUCTURE_BUILD_BIT_KHR;
    b.srcAccessMask = VK_ACCESS_2_ACCELERATION_STRUCTURE_WRITE_BIT_KHR;
    b.dstStageMask = VK_PIPELINE_STAGE_2_ACCELERATION_STRUCTURE_BUILD_BIT_KHR |
                     VK_PIPELINE_STAGE_2_RAY_TRACING_SHADER_BIT_KHR;
    b.dstAccessMask = VK_ACCESS_2_ACCELERATION_STRUCTURE_READ_BIT_KHR;
    VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dep.memoryBarrierCount = 1;
    dep.pMemoryBarriers = &b;
    vkCmdPipelineBarrier2(cmd, &dep);
}

} // namespace

AccelerationStructure buildAabbBlas(const vk::Context& ctx, VkDeviceAddress aabbs) {
    VkAccelerationStructureGeometryKHR g{VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_GEOMETRY_KHR};
    g.geometryType = VK_GEOMETRY_TYPE_AABBS_KHR;
    g.flags = VK_GEOMETRY_OPAQUE_BIT_KHR;
    g.geometry.aabbs.sType = VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_GEOMETRY_AABBS_DATA_KHR;
    g.geometry.aabbs.data.deviceAddress = aabbs;
    g.geometry.aabbs.stride = sizeof(VkAabbPositionsKHR);
    VkAccelerationStructureBuildGeometryInfoKHR build{
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_BUILD_GEOMETRY_INFO_KHR};
    build.type = VK_ACCELERATION_STRUCTURE_TYPE_BOTTOM_LEVEL_KHR;
    build.flags = VK_BUILD_ACCELERATION_STRUCTURE_PREFER_FAST_TRACE_BIT_KHR;
    build.mode = VK_BUILD_ACCELERATION_STRUCTURE_MODE_BUILD_KHR;
    build.geometryCount = 1;
    build.pGeometries = &g;
    const uint32_t count = 1;
    VkAccelerationStructureBuildSizesInfoKHR sizes{
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_BUILD_SIZES_INFO_KHR};
    ctx.rt().getAccelerationStructureBuildSizes(
        ctx.device(), VK_ACCELERATION_STRUCTURE_BUILD_TYPE_DEVICE_KHR, &build, &count, &sizes);
    AccelerationStructure as = createAs(ctx, VK_ACCELERATION_STRUCTURE_TYPE_BOTTOM_LEVEL_KHR,
                                        sizes.accelerationStructureSize);
    Scratch scratch = createScratch(ctx, sizes.buildScratchSize);
    build.dstAccelerationStructure = as.handle.get();
    build.scratchData.deviceAddress = scratch.address;
    const VkAccelerationStructureBuildRangeInfoKHR range{1, 0, 0, 0};
    const VkAccelerationStructureBuildRangeInfoKHR* rangePtr = &range;
    ctx.submitAndWait([&](VkCommandBuffer cmd) {
        ctx.rt().cmdBuildAccelerationStructures(cmd, 1, &build, &rangePtr);
        buildBarrier(cmd);
    });
    return as;
}

void GpuScene::buildBlases(const scene::Scene& scene) {
    blases_.resize(scene.meshes.size());
    for (size_t m = 0; m < scene.meshes.size(); ++m) {
        const scene::Mesh& mesh = scene.meshes[m];
        if (mesh.primitives.empty()) continue;
        std::vector<VkAccelerationStructureGeometryKHR> geoms;
        std::vector<VkAccelerationStructureBuildRangeInfoKHR> ranges;
        std::vector<uint32_t> counts;
        for (size_t p = 0; p < mesh.primitives.size(); ++p) {
            const scene::Primitive& prim = mesh.primitives[p];
            const shared::GpuGeometry& rec = geometryRecords_[meshFirstGeometry_[m] + p];
            VkAccelerationStructureGeometryKHR g{
                VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_GEOMETRY_KHR};
            g.geometryType = VK_GEOMETRY_TYPE_TRIANGLES_KHR;
            g.flags = opaqueMaterial_[rec.material]
                          ? VK_GEOMETRY_OPAQUE_BIT_KHR
                          : VK_GEOMETRY_NO_DUPLICATE_ANY_HIT_INVOCATION_BIT_KHR;
            auto& tri = g.geometry.triangles;
            tri.sType = VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_GEOMETRY_TRIANGLES_DATA_KHR;
            tri.vertexFormat = VK_FORMAT_R32G32B32_SFLOAT;
            tri.vertexData.deviceAddress = rec.positions;
            tri.vertexStride = sizeof(glm::vec3);
            tri.maxVertex = uint32_t(prim.positions.empty() ? 0 : prim.positions.size() - 1);
            tri.indexType = VK_INDEX_TYPE_UINT32;
            tri.indexData.deviceAddress = rec.indices;
            geoms.push_back(g);
            const uint32_t triangles = uint32_t(prim.indices.size() / 3);
            ranges.push_back({triangles, 0, 0, 0});
            counts.push_back(triangles);
        }
        VkAccelerationStructureBuildGeometryInfoKHR build{
            VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_BUILD_GEOMETRY_INFO_KHR};
        build.type = VK_ACCELERATION_STRUCTURE_TYPE_BOTTOM_LEVEL_KHR;
        build.flags = VK_BUILD_ACCELERATION_STRUCTURE_PREFER_FAST_TRACE_BIT_KHR;
        build.mode = VK_BUILD_ACCELERATION_STRUCTURE_MODE_BUILD_KHR;
        build.geometryCount = uint32_t(geoms.size());
        build.pGeometries = geoms.data();
        VkAccelerationStructureBuildSizesInfoKHR sizes{
            VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_BUILD_SIZES_INFO_KHR};
        ctx_.rt().getAccelerationStructureBuildSizes(
            ctx_.device(), VK_ACCELERATION_STRUCTURE_BUILD_TYPE_DEVICE_KHR, &build, counts.data(),
            &sizes);
        blases_[m] = createAs(ctx_, VK_ACCELERATION_STRUCTURE_TYPE_BOTTOM_LEVEL_KHR,
                              sizes.accelerationStructureSize);
        Scratch scratch = createScratch(ctx_, sizes.buildScratchSize);
        build.dstAccelerationStructure = blases_[m].handle.get();
        build.scratchData.deviceAddress = scratch.address;
        const VkAccelerationStructureBuildRangeInfoKHR* rangePtr = ranges.data();
        ctx_.submitAndWait([&](VkCommandBuffer cmd) {
            ctx_.rt().cmdBuildAccelerationStructures(cmd, 1, &build, &rangePtr);
            buildBarrier(cmd);
        });
    }
}

void GpuScene::buildTlas(const scene::Scene& scene) {
    std::vector<VkAccelerationStructureInstanceKHR> instances;
    for (const scene::Instance& inst : scene.instances) {
        if (inst.mesh >= blases_.size() || !blases_[inst.mesh].handle) continue;
        VkAccelerationStructureInstanceKHR vi{};
        // VkTransformMatrixKHR is a row-major 3x4; glm is column-major.
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 4; ++c)
                vi.transform.matrix[r][c] = inst.toWorld[c][r];
        vi.instanceCustomIndex = meshFirstGeometry_[inst.mesh];
        vi.mask = 0xFF;
        vi.instanceShaderBindingTableRecordOffset = 0;
        vi.flags = VK_GEOMETRY_INSTANCE_TRIANGLE_FACING_CULL_DISABLE_BIT_KHR;
        vi.accelerationStructureReference = blases_[inst.mesh].address;
        instances.push_back(vi);
        for (const scene::Primitive& p : scene.meshes[inst.mesh].primitives)
            triangles_ += p.indices.size() / 3;
    }
    fields_->appendInstances(scene, instances);
    if (meshFirstGeometry_.size() && geometryRecords_.size() >= (1u << 24))
        throw Error(scene.path + ": more than 2^24 primitives cannot be addressed by instances");
    instanceBuffer_ = vk::createBufferWithData(
        ctx_, instances.data(), instances.size() * sizeof(VkAccelerationStructureInstanceKHR),
        VK_BUFFER_USAGE_ACCELERATION_STRUCTURE_BUILD_INPUT_READ_ONLY_BIT_KHR);

    VkAccelerationStructureGeometryKHR g{VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_GEOMETRY_KHR};
    g.geometryType = VK_GEOMETRY_TYPE_INSTANCES_KHR;
    g.geometry.instances.sType =
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_GEOMETRY_INSTANCES_DATA_KHR;
    g.geometry.instances.data.deviceAddress = instanceBuffer_.address;
    VkAccelerationStructureBuildGeometryInfoKHR build{
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_BUILD_GEOMETRY_INFO_KHR};
    build.type = VK_ACCELERATION_STRUCTURE_TYPE_TOP_LEVEL_KHR;
    build.flags = VK_BUILD_ACCELERATION_STRUCTURE_PREFER_FAST_TRACE_BIT_KHR;
    build.mode = VK_BUILD_ACCELERATION_STRUCTURE_MODE_BUILD_KHR;
    build.geometryCount = 1;
    build.pGeometries = &g;
    const uint32_t count = uint32_t(instances.size());
    VkAccelerationStructureBuildSizesInfoKHR sizes{
        VK_STRUCTURE_TYPE_ACCELERATION_STRUCTURE_BUILD_SIZES_INFO_KHR};
    ctx_.rt().getAccelerationStructureBuildSizes(
        ctx_.device(), VK_ACCELERATION_STRUCTURE_BUILD_TYPE_DEVICE_KHR, &build, &count, &sizes);
    tlas_ = createAs(ctx_, VK_ACCELERATION_STRUCTURE_TYPE_TOP_LEVEL_KHR,
                     sizes.accelerationStructureSize);
    Scratch scratch = createScratch(ctx_, sizes.buildScratchSize);
    build.dstAccelerationStructure = tlas_.handle.get();
    build.scratchData.deviceAddress = scratch.address;
    const VkAccelerationStructureBuildRangeInfoKHR range{count, 0, 0, 0};
    const VkAccelerationStructureBuildRangeInfoKHR* rangePtr = &range;
    ctx_.submitAndWait([&](VkCommandBuffer cmd) {
        ctx_.rt().cmdBuildAccelerationStructures(cmd, 1, &build, &rangePtr);
        buildBarrier(cmd);
    });
}

} // namespace nerva::gpu
