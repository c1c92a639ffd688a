// Vulkan instance, device selection and device: the one place that decides
// which features Nerva needs (DESIGN.md §2) and reports what a device lacks.
#pragma once

#include "handle.h"
#include "rt_functions.h"

#include <vulkan/vulkan.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace nerva::vk {

struct ContextOptions {
    // Enable VK_LAYER_KHRONOS_validation. Also switched on by the environment
    // variable NERVA_VALIDATION=1 (set by the test suite) and in debug builds.
    bool validation = false;
    // Device to use: an index into the list `nerva info` prints, or a
    // case-insensitive substring of the device name. Empty: the first suitable.
    std::string device;
    // Extra instance extensions (the viewer adds the window-system ones).
    std::vector<std::string> instanceExtensions;
    bool swapchain = false; // request VK_KHR_swapchain on the device
};

// What one physical device offers, and what it lacks for Nerva.
struct DeviceReport {
    uint32_t index = 0;
    std::string name;
    std::string type; // "discrete GPU", "CPU", ...
    uint32_t apiVersion = 0;
    std::string driver;
    std::vector<std::string> missing; // empty = suitable
};

// One cooperative-matrix shape the device offers (VK_NV_cooperative_matrix):
// D (m x n) = A (m x k) * B (k x n) + C (m x n), with the component type of
// each matrix and the scope whose invocations hold the matrix together.
struct CoopMatrixShape {
    uint32_t m = 0, n = 0, k = 0;
    VkComponentTypeNV a = VK_COMPONENT_TYPE_FLOAT16_NV, b = VK_COMPONENT_TYPE_FLOAT16_NV;
    VkComponentTypeNV c = VK_COMPONENT_TYPE_FLOAT32_NV, d = VK_COMPONENT_TYPE_FLOAT32_NV;
    VkScopeNV scope = VK_SCOPE_SUBGROUP_NV;
};

// Lists every physical device with what each is missing (for `nerva info`).
std::vector<DeviceReport> listDevices();

class Context {
  public:
    explicit Context(const ContextOptions& options = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    VkInstance instance() const { return instance_; }
    VkPhysicalDevice physicalDevice() const { return physical_; }
    VkDevice device() const { return device_; }
    VkQueue queue() const { return queue_; }
    uint32_t queueFamily() const { return queueFamily_; }
    VkPipelineCache pipelineCache() const { return pipelineCache_; }
    const RtFunctions& rt() const { return rt_; }
    const DeviceReport& report() const { return report_; }
    const VkPhysicalDeviceRayTracingPipelinePropertiesKHR& rtProperties() const { return rtProps_; }
    const VkPhysicalDeviceProperties& properties() const { return props_; }
    bool validationEnabled() const { return validation_; }
    // shaderFloat16 is enabled (the device's compiler accepts float16_t
    // arithmetic; whether it is native fp16 math is the device type's story).
    bool shaderFloat16() const { return shaderFloat16_; }
    // storageBuffer16BitAccess is enabled (float16_t arrays in buffers).
    bool storageBuffer16BitAccess() const { return storage16_; }
    // VK_NV_cooperative_matrix and its cooperativeMatrix feature are enabled
    // (optional: only where the driver offers both; never a reason to fail).
    bool cooperativeMatrix() const { return cooperativeMatrix_; }
    // The shapes vkGetPhysicalDeviceCooperativeMatrixPropertiesNV lists
    // (empty without cooperativeMatrix()).
    const std::vector<CoopMatrixShape>& coopMatrixShapes() const { return coopShapes_; }

    // Validation-layer messages of severity error seen so far. Tests fail
    // when this is not zero.
    uint32_t validationErrors() const { return validationErrors_.load(); }

    uint32_t findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required) const;

    // Records commands into a one-time command buffer, submits and waits.
    void submitAndWait(const std::function<void(VkCommandBuffer)>& record) const;

    // Writes the pipeline cache to disk (also done on destruction).
    void savePipelineCache() const;

  private:
    static VKAPI_ATTR VkBool32 VKAPI_CALL onDebugMessage(
        VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
        const VkDebugUtilsMessengerCallbackDataEXT* data, void* user);
    void createInstance(const ContextOptions& options);
    void pickDevice(const ContextOptions& options);
    void createDevice(const ContextOptions& options);
    void createPipelineCache();
    void queryCoopMatrixShapes();
    void destroy();

    bool validation_ = false;
    bool shaderFloat16_ = false;
    bool storage16_ = false;
    bool cooperativeMatrix_ = false;
    std::vector<CoopMatrixShape> coopShapes_;
    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queueFamily_ = 0;
    VkCommandPool commandPool_ = VK_NULL_HANDLE;
    VkPipelineCache pipelineCache_ = VK_NULL_HANDLE;
    std::string pipelineCachePath_;
    RtFunctions rt_{};
    DeviceReport report_;
    VkPhysicalDeviceProperties props_{};
    VkPhysicalDeviceMemoryProperties memProps_{};
    VkPhysicalDeviceRayTracingPipelinePropertiesKHR rtProps_{};
    std::atomic<uint32_t> validationErrors_{0};
};

// Folder for Nerva's on-disk caches (pipeline cache, SPIR-V): $NERVA_CACHE_DIR,
// else $XDG_CACHE_HOME/nerva, else ~/.cache/nerva. Created on demand.
std::string cacheDirectory();

} // namespace nerva::vk
