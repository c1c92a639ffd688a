#include "context.h"

#include "check.h"
#include "device_requirements.h"
#include "neural/core/error.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace nerva::vk {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool envFlag(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

bool layerAvailable(const char* name) {
    uint32_t count = 0;
    vkEnumerateInstanceLayerProperties(&count, nullptr);
    std::vector<VkLayerProperties> layers(count);
    vkEnumerateInstanceLayerProperties(&count, layers.data());
    return std::any_of(layers.begin(), layers.end(), [&](const VkLayerProperties& l) {
        return std::strcmp(l.layerName, name) == 0;
    });
}

bool deviceExtensionAvailable(VkPhysicalDevice pd, const char* name) {
    uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(pd, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> exts(count);
    vkEnumerateDeviceExtensionProperties(pd, nullptr, &count, exts.data());
    return std::any_of(exts.begin(), exts.end(), [&](const VkExtensionProperties& e) {
        return std::strcmp(e.extensionName, name) == 0;
    });
}

} // namespace

std::string cacheDirectory() {
    std::filesystem::path dir;
    if (const char* v = std::getenv("NERVA_CACHE_DIR"); v && *v)
        dir = v;
    else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        dir = std::filesystem::path(x) / "nerva";
    else if (const char* h = std::getenv("HOME"); h && *h)
        dir = std::filesystem::path(h) / ".cache/nerva";
    else
        dir = std::filesystem::temp_directory_path() / "nerva-cache";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    return dir.string();
}

Context::Context(const ContextOptions& options) {
#ifndef NDEBUG
    validation_ = true;
#endif
    validation_ = validation_ || options.validation || envFlag("NERVA_VALIDATION");
    try {
        createInstance(options);
        pickDevice(options);
        createDevice(options);
        createPipelineCache();
    } catch (...) {
        destroy(); // members are cleaned up by the language; Vulkan objects are ours
        throw;
    }
}

Context::~Context() {
    destroy();
}

void Context::destroy() {
    if (device_) {
        vkDeviceWaitIdle(device_);
        if (pipelineCache_) {
            savePipelineCache();
            vkDestroyPipelineCache(device_, pipelineCache_, nullptr);
        }
        if (commandPool_) vkDestroyCommandPool(device_, commandPool_, nullptr);
        vkDestroyDevice(device_, nullptr);
    }
    if (messenger_) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy) destroy(instance_, messenger_, nullptr);
    }
    if (instance_) vkDestroyInstance(instance_, nullptr);
    device_ = VK_NULL_HANDLE;
    pipelineCache_ = VK_NULL_HANDLE;
    commandPool_ = VK_NULL_HANDLE;
    messenger_ = VK_NULL_HANDLE;
    instance_ = VK_NULL_HANDLE;
}

VkBool32 Context::onDebugMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                 VkDebugUtilsMessageTypeFlagsEXT,
                                 const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
    auto* self = static_cast<Context*>(user);
    if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        self->validationErrors_.fetch_add(1);
        std::fprintf(stderr, "vulkan validation error: %s\n", data->pMessage);
    } else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        std::fprintf(stderr, "vulkan validation warning: %s\n", data->pMessage);
    }
    return VK_FALSE;
}

void Context::createInstance(const ContextOptions& options) {
    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    for (const std::string& e : options.instanceExtensions)
        extensions.push_back(e.c_str());
    VkDebugUtilsMessengerCreateInfoEXT messengerInfo{
        VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    if (validation_) {
        if (!layerAvailable(kValidationLayer))
            throw Error(std::string("Vulkan: validation requested but ") + kValidationLayer +
                        " is not installed (Debian: vulkan-validationlayers)");
        layers.push_back(kValidationLayer);
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        messengerInfo.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
                                        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
        // Performance hints are left out: they flag deliberate choices (a
        // GENERAL-layout accumulation image copied to the host) on every run.
        messengerInfo.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                                    VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT;
        messengerInfo.pfnUserCallback = &Context::onDebugMessage;
        messengerInfo.pUserData = this;
    }
    // Chaining the messenger info also reports errors of instance creation.
    instance_ = createBareInstance(layers, extensions, validation_ ? &messengerInfo : nullptr);
    if (validation_) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
        if (!create)
            throw Error("Vulkan: VK_EXT_debug_utils has no vkCreateDebugUtilsMessengerEXT");
        VK_CHECK(create(instance_, &messengerInfo, nullptr, &messenger_));
    }
}

void Context::pickDevice(const ContextOptions& options) {
    const auto devices = physicalDevices(instance_);
    if (devices.empty()) throw Error("Vulkan: no physical device found (is a driver installed?)");
    std::vector<DeviceReport> reports;
    for (uint32_t i = 0; i < devices.size(); ++i)
        reports.push_back(inspect(devices[i], i));

    auto describeMissing = [](const DeviceReport& r) {
        std::string s;
        for (const std::string& m : r.missing)
            s += (s.empty() ? "" : ", ") + m;
        return "device " + std::to_string(r.index) + " '" + r.name + "' lacks " + s;
    };
    int chosen = -1;
    if (!options.device.empty()) {
        const std::string& want = options.device;
        const bool numeric = std::all_of(want.begin(), want.end(), ::isdigit);
        for (const DeviceReport& r : reports) {
            std::string lower = r.name, needle = want;
            std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
            std::transform(needle.begin(), needle.end(), needle.begin(), ::tolower);
            if ((numeric && std::to_string(r.index) == want) ||
                (!numeric && lower.find(needle) != std::string::npos)) {
                chosen = int(r.index);
                break;
            }
        }
        if (chosen < 0)
            throw Error("--device " + want + ": no such Vulkan device (" +
                        std::to_string(reports.size()) + " found; see 'nerva info')");
        if (!reports[chosen].missing.empty()) throw Error(describeMissing(reports[chosen]));
    } else {
        // Prefer discrete, then integrated, then anything suitable.
        int best = -1, bestRank = -1;
        for (const DeviceReport& r : reports) {
            if (!r.missing.empty()) continue;
            const int rank = r.type == "discrete GPU" ? 3 : r.type == "integrated GPU" ? 2 : 1;
            if (rank > bestRank) best = int(r.index), bestRank = rank;
        }
        if (best < 0) {
            std::string all;
            for (const DeviceReport& r : reports)
                all += (all.empty() ? "" : "; ") + describeMissing(r);
            throw Error("Vulkan: no device supports ray-tracing pipelines: " + all);
        }
        chosen = best;
    }
    physical_ = devices[chosen];
    report_ = reports[chosen];
}

void Context::createDevice(const ContextOptions& options) {
    uint32_t familyCount = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &familyCount, nullptr);
    std::vector<VkQueueFamilyProperties> families(familyCount);
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &familyCount, families.data());
    bool found = false;
    for (uint32_t i = 0; i < familyCount && !found; ++i) {
        const VkQueueFlags need = VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT;
        if ((families[i].queueFlags & need) == need) queueFamily_ = i, found = true;
    }
    if (!found) throw Error("Vulkan: device '" + report_.name + "' has no graphics+compute queue");

    FeatureChain available, enabled;
    vkGetPhysicalDeviceFeatures2(physical_, &available.core);
    std::vector<std::string> missing;
    FeatureChain::require(available, &enabled, missing);
    // Optional features used when present (fp16 math and storage).
    enabled.v12.shaderFloat16 = available.v12.shaderFloat16;
    shaderFloat16_ = available.v12.shaderFloat16 == VK_TRUE;
    enabled.v11.storageBuffer16BitAccess = available.v11.storageBuffer16BitAccess;
    storage16_ = available.v11.storageBuffer16BitAccess == VK_TRUE;
    // Cooperative matrices (the neural decoder's optional matrix-unit path,
    // renderer/gpu/neural_batch_decoder.h) when the driver offers them. The
    // feature struct is queried on its own: chained into `available` it
    // would be an unknown struct to drivers without the extension.
    VkPhysicalDeviceCooperativeMatrixFeaturesNV coopFeatures{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_FEATURES_NV};
    if (deviceExtensionAvailable(physical_, VK_NV_COOPERATIVE_MATRIX_EXTENSION_NAME)) {
        VkPhysicalDeviceFeatures2 f{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, &coopFeatures};
        vkGetPhysicalDeviceFeatures2(physical_, &f);
        cooperativeMatrix_ = coopFeatures.cooperativeMatrix == VK_TRUE;
    }

    std::vector<const char*> extensions(std::begin(kRequiredDeviceExtensions),
                                        std::end(kRequiredDeviceExtensions));
    if (options.swapchain) extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    if (cooperativeMatrix_) {
        extensions.push_back(VK_NV_COOPERATIVE_MATRIX_EXTENSION_NAME);
        coopFeatures = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_FEATURES_NV};
        coopFeatures.cooperativeMatrix = VK_TRUE;
        enabled.rt.pNext = &coopFeatures; // the end of the FeatureChain
    }

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queueInfo.queueFamilyIndex = queueFamily_;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;
    VkDeviceCreateInfo ci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, &enabled.core};
    ci.queueCreateInfoCount = 1;
    ci.pQueueCreateInfos = &queueInfo;
    ci.enabledExtensionCount = uint32_t(extensions.size());
    ci.ppEnabledExtensionNames = extensions.data();
    VK_CHECK(vkCreateDevice(physical_, &ci, nullptr, &device_));
    vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
    rt_.load(device_);

    vkGetPhysicalDeviceProperties(physical_, &props_);
    vkGetPhysicalDeviceMemoryProperties(physical_, &memProps_);
    rtProps_ = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_RAY_TRACING_PIPELINE_PROPERTIES_KHR};
    VkPhysicalDeviceProperties2 props2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &rtProps_};
    vkGetPhysicalDeviceProperties2(physical_, &props2);
    queryCoopMatrixShapes();

    VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags =
        VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT | VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    poolInfo.queueFamilyIndex = queueFamily_;
    VK_CHECK(vkCreateCommandPool(device_, &poolInfo, nullptr, &commandPool_));
}

void Context::queryCoopMatrixShapes() {
    // Only with the extension enabled: the loader's trampoline for this
    // instance-level query calls into a driver that may not implement it.
    if (!cooperativeMatrix_) return;
    auto query = reinterpret_cast<PFN_vkGetPhysicalDeviceCooperativeMatrixPropertiesNV>(
        vkGetInstanceProcAddr(instance_, "vkGetPhysicalDeviceCooperativeMatrixPropertiesNV"));
    uint32_t count = 0;
    // A failing query leaves the list empty: the path is optional.
    if (!query || query(physical_, &count, nullptr) != VK_SUCCESS) return;
    std::vector<VkCooperativeMatrixPropertiesNV> props(
        count, {VK_STRUCTURE_TYPE_COOPERATIVE_MATRIX_PROPERTIES_NV});
    if (query(physical_, &count, props.data()) < VK_SUCCESS) return;
    props.resize(count);
    for (const VkCooperativeMatrixPropertiesNV& p : props)
        coopShapes_.push_back(
            {p.MSize, p.NSize, p.KSize, p.AType, p.BType, p.CType, p.DType, p.scope});
}

void Context::createPipelineCache() {
    // One cache file per device and driver build: a cache from another
    // driver is rejected by the driver anyway, so keep them apart.
    char uuid[2 * VK_UUID_SIZE + 1] = {};
    for (uint32_t i = 0; i < VK_UUID_SIZE; ++i)
        std::snprintf(uuid + 2 * i, 3, "%02x", props_.pipelineCacheUUID[i]);
    pipelineCachePath_ = cacheDirectory() + "/pipelines-" + uuid + ".bin";
    std::vector<char> data;
    if (std::ifstream in{pipelineCachePath_, std::ios::binary})
        data.assign(std::istreambuf_iterator<char>(in), {});
    VkPipelineCacheCreateInfo ci{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    ci.initialDataSize = data.size();
    ci.pInitialData = data.empty() ? nullptr : data.data();
    if (vkCreatePipelineCache(device_, &ci, nullptr, &pipelineCache_) != VK_SUCCESS) {
        ci.initialDataSize = 0; // a corrupt cache file is ignored, then overwritten
        ci.pInitialData = nullptr;
        VK_CHECK(vkCreatePipelineCache(device_, &ci, nullptr, &pipelineCache_));
    }
}

void Context::savePipelineCache() const {
    if (!pipelineCache_ || pipelineCachePath_.empty()) return;
    size_t size = 0;
    if (vkGetPipelineCacheData(device_, pipelineCache_, &size, nullptr) != VK_SUCCESS || !size)
        return;
    std::vector<char> data(size);
    if (vkGetPipelineCacheData(device_, pipelineCache_, &size, data.data()) != VK_SUCCESS) return;
    // Temp file + rename: concurrent test processes never see a torn cache.
    const std::string tmp = pipelineCachePath_ + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary);
        out.write(data.data(), std::streamsize(size));
        if (!out) return;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, pipelineCachePath_, ec);
    if (ec) std::filesystem::remove(tmp, ec);
}

uint32_t Context::findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required) const {
    for (uint32_t i = 0; i < memProps_.memoryTypeCount; ++i)
        if ((typeBits & (1u << i)) &&
            (memProps_.memoryTypes[i].propertyFlags & required) == required)
            return i;
    throw Error("Vulkan: no memory type with the required properties on '" + report_.name + "'");
}

void Context::submitAndWait(const std::function<void(VkCommandBuffer)>& record) const {
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = commandPool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VK_CHECK(vkAllocateCommandBuffers(device_, &ai, &cmd));
    struct FreeOnExit {
        VkDevice d;
        VkCommandPool p;
        VkCommandBuffer c;
        ~FreeOnExit() { vkFreeCommandBuffers(d, p, 1, &c); }
    } freeOnExit{device_, commandPool_, cmd};

    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    record(cmd);
    VK_CHECK(vkEndCommandBuffer(cmd));

    VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence = VK_NULL_HANDLE;
    VK_CHECK(vkCreateFence(device_, &fi, nullptr, &fence));
    Handle<VkFence> fenceOwner(device_, fence, vkDestroyFence);
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd;
    VK_CHECK(vkQueueSubmit(queue_, 1, &si, fence));
    VK_CHECK(vkWaitForFences(device_, 1, &fence, VK_TRUE, UINT64_MAX));
}

} // namespace nerva::vk
