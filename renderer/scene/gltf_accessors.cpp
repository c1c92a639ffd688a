// Reading vertex and index data through glTF accessors. tinygltf does not
// check accessors against their buffers, so every read here checks the
// accessor, its bufferView and its sparse storage against the bytes actually
// loaded before it touches them.
#include "renderer/scene/gltf_internal.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace nerva::scene::gltf {

namespace {

// Accessors without a bufferView read as zeros; cap their size so that a
// hostile count cannot ask for gigabytes of zeros.
constexpr size_t kMaxViewlessCount = size_t(1) << 24;

std::string describe(int index, const std::string& use) {
    return "accessor " + std::to_string(index) + " (" + use + ")";
}

const tinygltf::Accessor& accessorAt(const LoadContext& ctx, int index, const std::string& use) {
    const size_t n = ctx.model.accessors.size();
    if (index < 0 || size_t(index) >= n) {
        ctx.fail(describe(index, use) + " is out of range (" + std::to_string(n) + " accessors)");
    }
    return ctx.model.accessors[size_t(index)];
}

size_t componentSize(int componentType) {
    switch (componentType) {
    case TINYGLTF_COMPONENT_TYPE_BYTE:
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
        return 1;
    case TINYGLTF_COMPONENT_TYPE_SHORT:
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT:
        return 2;
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
    case TINYGLTF_COMPONENT_TYPE_FLOAT:
        return 4;
    default:
        return 0; // not a glTF 2.0 accessor component type
    }
}

const char* typeName(int type) {
    switch (type) {
    case TINYGLTF_TYPE_SCALAR:
        return "SCALAR";
    case TINYGLTF_TYPE_VEC2:
        return "VEC2";
    case TINYGLTF_TYPE_VEC3:
        return "VEC3";
    case TINYGLTF_TYPE_VEC4:
        return "VEC4";
    case TINYGLTF_TYPE_MAT2:
        return "MAT2";
    case TINYGLTF_TYPE_MAT3:
        return "MAT3";
    case TINYGLTF_TYPE_MAT4:
        return "MAT4";
    default:
        return "an unknown type";
    }
}

int typeFor(int components) {
    switch (components) {
    case 1:
        return TINYGLTF_TYPE_SCALAR;
    case 2:
        return TINYGLTF_TYPE_VEC2;
    case 3:
        return TINYGLTF_TYPE_VEC3;
    default:
        return TINYGLTF_TYPE_VEC4;
    }
}

// Do `count` elements of `elementSize` bytes, `stride` apart from `offset`,
// fit in `available` bytes? Written so that nothing can overflow.
bool fits(uint64_t offset, uint64_t count, uint64_t stride, uint64_t elementSize,
          uint64_t available) {
    if (offset > available) return false;
    if (count == 0) return true;
    if (elementSize > available - offset) return false;
    return (count - 1) <= (available - offset - elementSize) / stride;
}

// The bytes of a bufferView, checked against the buffer tinygltf loaded.
std::pair<const uint8_t*, size_t> viewBytes(const LoadContext& ctx, int view,
                                            const std::string& who) {
    const tinygltf::Model& m = ctx.model;
    if (view < 0 || size_t(view) >= m.bufferViews.size()) {
        ctx.fail(who + " references bufferView " + std::to_string(view) + ", out of range (" +
                 std::to_string(m.bufferViews.size()) + " bufferViews)");
    }
    const tinygltf::BufferView& bv = m.bufferViews[size_t(view)];
    if (bv.buffer < 0 || size_t(bv.buffer) >= m.buffers.size()) {
        ctx.fail("bufferView " + std::to_string(view) + " references buffer " +
                 std::to_string(bv.buffer) + ", out of range");
    }
    const std::vector<unsigned char>& data = m.buffers[size_t(bv.buffer)].data;
    if (!fits(bv.byteOffset, 1, 1, bv.byteLength, data.size())) {
        ctx.fail("bufferView " + std::to_string(view) + " is out of range of buffer " +
                 std::to_string(bv.buffer));
    }
    return {data.data() + bv.byteOffset, bv.byteLength};
}

// Where an accessor's elements lie, checked against the loaded buffers before
// anything is allocated or read.
struct Storage {
    std::string who;               // "accessor 3 (POSITION of ...)" for messages
    const uint8_t* data = nullptr; // element 0; null when there is no bufferView
    size_t stride = 0;
    const uint8_t* sparseIndices = nullptr;
    size_t sparseIndexSize = 0;
    const uint8_t* sparseValues = nullptr;
    size_t sparseCount = 0;
};

Storage locate(const LoadContext& ctx, int index, const tinygltf::Accessor& acc, size_t elementSize,
               const std::string& use) {
    Storage st;
    st.who = describe(index, use);
    if (acc.bufferView != -1) {
        const auto [data, size] = viewBytes(ctx, acc.bufferView, st.who);
        const size_t declared = ctx.model.bufferViews[size_t(acc.bufferView)].byteStride;
        st.stride = declared != 0 ? declared : elementSize;
        if (st.stride < elementSize) {
            ctx.fail(st.who + " has " + std::to_string(elementSize) +
                     "-byte elements but byteStride " + std::to_string(st.stride));
        }
        if (!fits(acc.byteOffset, acc.count, st.stride, elementSize, size)) {
            ctx.fail(st.who + " is out of range: " + std::to_string(acc.count) +
                     " elements from byte " + std::to_string(acc.byteOffset) +
                     " overrun bufferView " + std::to_string(acc.bufferView) + " (" +
                     std::to_string(size) + " bytes)");
        }
        st.data = data + acc.byteOffset;
    } else if (acc.count > kMaxViewlessCount) {
        ctx.fail(st.who + " has no bufferView and a count of " + std::to_string(acc.count));
    }
    if (!acc.sparse.isSparse) return st;

    const auto& sp = acc.sparse;
    if (sp.count <= 0 || size_t(sp.count) > acc.count) {
        ctx.fail(st.who + " has sparse count " + std::to_string(sp.count) + " (accessor count " +
                 std::to_string(acc.count) + ")");
    }
    const int indexType = sp.indices.componentType;
    if (indexType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE &&
        indexType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT &&
        indexType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT) {
        ctx.fail(st.who + " has sparse indices of component type " + std::to_string(indexType));
    }
    st.sparseCount = size_t(sp.count);
    st.sparseIndexSize = componentSize(indexType);
    const auto [idxData, idxSize] =
        viewBytes(ctx, sp.indices.bufferView, st.who + " sparse indices");
    const auto [valData, valSize] = viewBytes(ctx, sp.values.bufferView, st.who + " sparse values");
    if (sp.indices.byteOffset < 0 || sp.values.byteOffset < 0 ||
        !fits(uint64_t(sp.indices.byteOffset), st.sparseCount, st.sparseIndexSize,
              st.sparseIndexSize, idxSize) ||
        !fits(uint64_t(sp.values.byteOffset), st.sparseCount, elementSize, elementSize, valSize)) {
        ctx.fail(st.who + " sparse storage is out of range of its bufferViews");
    }
    st.sparseIndices = idxData + sp.indices.byteOffset;
    st.sparseValues = valData + sp.values.byteOffset;
    return st;
}

// Calls decode(element, bytes) for every stored element, then for every
// sparse substitute (later calls overwrite earlier ones).
template <typename Decode>
void visit(const LoadContext& ctx, const tinygltf::Accessor& acc, size_t elementSize,
           const Storage& st, Decode&& decode) {
    if (st.data) {
        for (size_t i = 0; i < acc.count; ++i)
            decode(i, st.data + i * st.stride);
    }
    for (size_t k = 0; k < st.sparseCount; ++k) {
        const uint8_t* p = st.sparseIndices + k * st.sparseIndexSize;
        uint32_t target = 0;
        if (st.sparseIndexSize == 1) {
            target = p[0];
        } else if (st.sparseIndexSize == 2) {
            uint16_t v;
            std::memcpy(&v, p, 2);
            target = v;
        } else {
            std::memcpy(&target, p, 4);
        }
        if (target >= acc.count) {
            ctx.fail(st.who + " has sparse index " + std::to_string(target) + ", out of range (" +
                     std::to_string(acc.count) + " elements)");
        }
        decode(size_t(target), st.sparseValues + k * elementSize);
    }
}

float readComponent(const uint8_t* p, int componentType, bool normalized) {
    switch (componentType) {
    case TINYGLTF_COMPONENT_TYPE_BYTE: {
        int8_t v;
        std::memcpy(&v, p, 1);
        return normalized ? std::max(float(v) / 127.0f, -1.0f) : float(v);
    }
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE:
        return normalized ? float(p[0]) / 255.0f : float(p[0]);
    case TINYGLTF_COMPONENT_TYPE_SHORT: {
        int16_t v;
        std::memcpy(&v, p, 2);
        return normalized ? std::max(float(v) / 32767.0f, -1.0f) : float(v);
    }
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: {
        uint16_t v;
        std::memcpy(&v, p, 2);
        return normalized ? float(v) / 65535.0f : float(v);
    }
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT: {
        uint32_t v;
        std::memcpy(&v, p, 4);
        return normalized ? float(double(v) / 4294967295.0) : float(v);
    }
    default: {
        float v;
        std::memcpy(&v, p, 4);
        return v;
    }
    }
}

} // namespace

std::vector<float> readFloats(const LoadContext& ctx, int index, int components,
                              const std::string& use) {
    const tinygltf::Accessor& acc = accessorAt(ctx, index, use);
    const size_t compSize = componentSize(acc.componentType);
    if (compSize == 0) {
        ctx.fail(describe(index, use) + " has invalid componentType " +
                 std::to_string(acc.componentType));
    }
    if (acc.type != typeFor(components)) {
        ctx.fail(describe(index, use) + " is " + typeName(acc.type) + ", expected " +
                 typeName(typeFor(components)));
    }
    const size_t comps = size_t(components);
    const Storage st = locate(ctx, index, acc, compSize * comps, use);
    std::vector<float> out(acc.count * comps, 0.0f);
    visit(ctx, acc, compSize * comps, st, [&](size_t element, const uint8_t* bytes) {
        for (size_t c = 0; c < comps; ++c) {
            out[element * comps + c] =
                readComponent(bytes + c * compSize, acc.componentType, acc.normalized);
        }
    });
    return out;
}

std::vector<uint32_t> readIndices(const LoadContext& ctx, int index, const std::string& use) {
    const tinygltf::Accessor& acc = accessorAt(ctx, index, use);
    const int type = acc.componentType;
    if (type != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE &&
        type != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT &&
        type != TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT) {
        ctx.fail(describe(index, use) + " has componentType " + std::to_string(type) +
                 " (indices must be unsigned byte, short or int)");
    }
    if (acc.type != TINYGLTF_TYPE_SCALAR) {
        ctx.fail(describe(index, use) + " is " + typeName(acc.type) + ", expected SCALAR");
    }
    const size_t size = componentSize(type);
    const Storage st = locate(ctx, index, acc, size, use);
    std::vector<uint32_t> out(acc.count, 0);
    visit(ctx, acc, size, st, [&](size_t element, const uint8_t* bytes) {
        if (size == 1) {
            out[element] = bytes[0];
        } else if (size == 2) {
            uint16_t v;
            std::memcpy(&v, bytes, 2);
            out[element] = v;
        } else {
            std::memcpy(&out[element], bytes, 4);
        }
    });
    return out;
}

} // namespace nerva::scene::gltf
