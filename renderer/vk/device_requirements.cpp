#include "device_requirements.h"

#include "check.h"
#include "neural/core/error.h"

#include <algorithm>
#include <cstring>

namespace nerva::vk {
namespace {

std::string deviceTypeName(VkPhysicalDeviceType t) {
    switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
        return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
        return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
        return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
        return "CPU";
    default:
        return "other";
    }
}

std::string versionString(uint32_t v) {
    return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) +
           "." + std::to_string(VK_API_VERSION_PATCH(v));
}

} // namespace

DeviceReport inspect(VkPhysicalDevice pd, uint32_t index) {
    DeviceReport r;
    r.index = index;
    VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &driver};
    vkGetPhysicalDeviceProperties2(pd, &props);
    r.name = props.properties.deviceName;
    r.type = deviceTypeName(props.properties.deviceType);
    r.apiVersion = props.properties.apiVersion;
    r.driver = std::string(driver.driverName) + " " + driver.driverInfo;
    if (r.apiVersion < VK_API_VERSION_1_3)
        r.missing.push_back("Vulkan 1.3 (device has " + versionString(r.apiVersion) + ")");

    uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(pd, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> exts(count);
    vkEnumerateDeviceExtensionProperties(pd, nullptr, &count, exts.data());
    for (const char* want : kRequiredDeviceExtensions) {
        const bool has = std::any_of(exts.begin(), exts.end(), [&](const VkExtensionProperties& e) {
            return std::strcmp(e.extensionName, want) == 0;
        });
        if (!has) r.missing.push_back(want);
    }
    if (r.apiVersion >= VK_API_VERSION_1_3) {
        FeatureChain available;
        vkGetPhysicalDeviceFeatures2(pd, &available.core);
        FeatureChain::require(available, nullptr, r.missing);
    }
    return r;
}

std::vector<VkPhysicalDevice> physicalDevices(VkInstance instance) {
    uint32_t count = 0;
    VK_CHECK(vkEnumeratePhysicalDevices(instance, &count, nullptr));
    std::vector<VkPhysicalDevice> devices(count);
    VK_CHECK(vkEnumeratePhysicalDevices(instance, &count, devices.data()));
    return devices;
}

VkInstance createBareInstance(const std::vector<const char*>& layers,
                              const std::vector<const char*>& extensions, const void* pNext) {
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "nerva";
    app.pEngineName = "nerva";
    app.apiVersion = VK_API_VERSION_1_3;
    VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, pNext};
    ci.pApplicationInfo = &app;
    ci.enabledLayerCount = uint32_t(layers.size());
    ci.ppEnabledLayerNames = layers.data();
    ci.enabledExtensionCount = uint32_t(extensions.size());
    ci.ppEnabledExtensionNames = extensions.data();
    VkInstance instance = VK_NULL_HANDLE;
    const VkResult r = vkCreateInstance(&ci, nullptr, &instance);
    if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
        throw Error("Vulkan: no driver supports Vulkan 1.3 (install mesa-vulkan-drivers >= 24.1 "
                    "or a GPU driver; see README.md)");
    VK_CHECK(r);
    return instance;
}

void RtFunctions::load(VkDevice device) {
#define NERVA_LOAD(member, name)                                                                   \
    member = reinterpret_cast<PFN_##name>(vkGetDeviceProcAddr(device, #name));                     \
    if (!member) throw Error("Vulkan: device has no entry point " #name);
    NERVA_LOAD(createAccelerationStructure, vkCreateAccelerationStructureKHR)
    NERVA_LOAD(destroyAccelerationStructure, vkDestroyAccelerationStructureKHR)
    NERVA_LOAD(getAccelerationStructureBuildSizes, vkGetAccelerationStructureBuildSizesKHR)
    NERVA_LOAD(cmdBuildAccelerationStructures, vkCmdBuildAccelerationStructuresKHR)
    NERVA_LOAD(getAccelerationStructureDeviceAddress, vkGetAccelerationStructureDeviceAddressKHR)
    NERVA_LOAD(createRayTracingPipelines, vkCreateRayTracingPipelinesKHR)
    NERVA_LOAD(getRayTracingShaderGroupHandles, vkGetRayTracingShaderGroupHandlesKHR)
    NERVA_LOAD(cmdTraceRays, vkCmdTraceRaysKHR)
#undef NERVA_LOAD
}

std::vector<DeviceReport> listDevices() {
    VkInstance instance = createBareInstance({}, {}, nullptr);
    std::vector<DeviceReport> reports;
    const auto devices = physicalDevices(instance);
    for (uint32_t i = 0; i < devices.size(); ++i)
        reports.push_back(inspect(devices[i], i));
    vkDestroyInstance(instance, nullptr);
    return reports;
}

} // namespace nerva::vk
