// What Nerva requires of a Vulkan device (DESIGN.md §2) and how a physical
// device is inspected against it. Internal to renderer/vk: Context and
// listDevices() share it.
#pragma once

#include "context.h"

#include <vulkan/vulkan.h>

#include <string>
#include <vector>

namespace nerva::vk {

// Device extensions Nerva cannot run without (DESIGN.md §2). Ray queries are
// deliberately absent: some GPUs have ray-tracing pipelines without them.
inline constexpr const char* kRequiredDeviceExtensions[] = {
    VK_KHR_ACCELERATION_STRUCTURE_EXTENSION_NAME,
    VK_KHR_RAY_TRACING_PIPELINE_EXTENSION_NAME,
    VK_KHR_DEFERRED_HOST_OPERATIONS_EXTENSION_NAME,
};

// The feature structs we query and enable, chained once.
struct FeatureChain {
    VkPhysicalDeviceFeatures2 core{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    VkPhysicalDeviceVulkan11Features v11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    VkPhysicalDeviceVulkan12Features v12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan13Features v13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
    VkPhysicalDeviceAccelerationStructureFeaturesKHR as{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ACCELERATION_STRUCTURE_FEATURES_KHR};
    VkPhysicalDeviceRayTracingPipelineFeaturesKHR rt{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_RAY_TRACING_PIPELINE_FEATURES_KHR};

    FeatureChain() {
        core.pNext = &v11;
        v11.pNext = &v12;
        v12.pNext = &v13;
        v13.pNext = &as;
        as.pNext = &rt;
    }
    FeatureChain(const FeatureChain&) = delete;

    // Lists required features that `available` lacks; when `enable` is given,
    // switches exactly those features on in it.
    static void require(const FeatureChain& a, FeatureChain* enable,
                        std::vector<std::string>& missing) {
#define NERVA_FEATURE(part, name)                                                                  \
    if (!a.part.name) missing.push_back(#name);                                                    \
    if (enable) enable->part.name = VK_TRUE;
        NERVA_FEATURE(core.features, shaderInt64)
        NERVA_FEATURE(core.features, samplerAnisotropy)
        NERVA_FEATURE(v12, bufferDeviceAddress)
        NERVA_FEATURE(v12, scalarBlockLayout)
        NERVA_FEATURE(v12, descriptorIndexing)
        NERVA_FEATURE(v12, runtimeDescriptorArray)
        NERVA_FEATURE(v12, descriptorBindingPartiallyBound)
        NERVA_FEATURE(v12, shaderSampledImageArrayNonUniformIndexing)
        NERVA_FEATURE(v12, timelineSemaphore)
        NERVA_FEATURE(v13, synchronization2)
        NERVA_FEATURE(v13, maintenance4)
        NERVA_FEATURE(as, accelerationStructure)
        NERVA_FEATURE(rt, rayTracingPipeline)
#undef NERVA_FEATURE
    }
};

// Checks one physical device against the requirements.
DeviceReport inspect(VkPhysicalDevice pd, uint32_t index);

std::vector<VkPhysicalDevice> physicalDevices(VkInstance instance);

// An instance with the given layers and extensions; pNext may chain a debug
// messenger. A driver without Vulkan 1.3 is a clear error.
VkInstance createBareInstance(const std::vector<const char*>& layers,
                              const std::vector<const char*>& extensions, const void* pNext);

} // namespace nerva::vk
