#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace sightline::core::store::detail {

/// Raw storage for GrowableArray: `bytes` bytes, from the heap when small; large ones get a
/// memory mapping of their own (Linux), which grows and shrinks by moving pages (mremap), so
/// resizing a buffer of many MiB costs microseconds where a copy cost milliseconds.
class GrowableStorage
{
public:
    /// Buffers from this size up are mapped.
    static constexpr std::size_t MappedBytes = std::size_t(1) << 20;

    GrowableStorage() = default;
    GrowableStorage(const GrowableStorage&) = delete;
    GrowableStorage& operator=(const GrowableStorage&) = delete;
    GrowableStorage(GrowableStorage&& other) noexcept { swap(other); }
    GrowableStorage& operator=(GrowableStorage&& other) noexcept
    {
        GrowableStorage(std::move(other)).swap(*this);
        return *this;
    }
    ~GrowableStorage() { release(); }

    [[nodiscard]] void* data() const { return m_data; }
    /// Usable bytes: at least what was asked for (a mapping's last page is usable whole).
    [[nodiscard]] std::size_t bytes() const { return m_bytes; }
    /// Makes the buffer hold `bytes` bytes (0 frees it), keeping the first `kept` of them;
    /// throws std::bad_alloc when memory runs out.
    void resize(std::size_t bytes, std::size_t kept);
    void swap(GrowableStorage& other) noexcept
    {
        std::swap(m_data, other.m_data);
        std::swap(m_bytes, other.m_bytes);
        std::swap(m_mapped, other.m_mapped);
    }

private:
    void release();

    void* m_data = nullptr;
    std::size_t m_bytes = 0;
    bool m_mapped = false;
};

/// A vector of trivially copyable values (the subset of std::vector the history cache uses)
/// whose capacity changes never copy a large buffer: see GrowableStorage. A growing cache
/// segment of millions of samples is appended to on the GUI thread; with std::vector each
/// capacity step copied it whole (up to 17 ms for 4M samples).
template <typename T> class GrowableArray
{
    static_assert(std::is_trivially_copyable_v<T>);

public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    GrowableArray() = default;
    GrowableArray(const GrowableArray& other) { assign(other.begin(), other.end()); }
    GrowableArray(GrowableArray&& other) noexcept
        : m_storage(std::move(other.m_storage))
        , m_size(std::exchange(other.m_size, 0))
    {
    }
    GrowableArray& operator=(const GrowableArray& other)
    {
        if (this != &other)
            assign(other.begin(), other.end());
        return *this;
    }
    GrowableArray& operator=(GrowableArray&& other) noexcept
    {
        m_storage = std::move(other.m_storage);
        m_size = std::exchange(other.m_size, 0);
        return *this;
    }
    ~GrowableArray() = default;

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    [[nodiscard]] std::size_t capacity() const { return m_storage.bytes() / sizeof(T); }
    [[nodiscard]] T* data() { return static_cast<T*>(m_storage.data()); }
    [[nodiscard]] const T* data() const { return static_cast<const T*>(m_storage.data()); }
    T& operator[](std::size_t i) { return data()[i]; }
    const T& operator[](std::size_t i) const { return data()[i]; }
    T& back() { return data()[m_size - 1]; }
    const T& back() const { return data()[m_size - 1]; }
    iterator begin() { return data(); }
    iterator end() { return data() + m_size; }
    const_iterator begin() const { return data(); }
    const_iterator end() const { return data() + m_size; }

    /// Capacity for at least `count` values, exactly that many when it grows.
    void reserve(std::size_t count)
    {
        if (count > capacity())
            m_storage.resize(bytesFor(count), m_size * sizeof(T));
    }
    /// New values are value-initialised; grows capacity to exactly `count` when short.
    void resize(std::size_t count)
    {
        reserve(count);
        if (count > m_size)
            std::uninitialized_value_construct_n(data() + m_size, count - m_size);
        m_size = count;
    }
    void push_back(const T& value)
    {
        if (m_size == capacity())
            reserve(m_size + m_size / 2 + 8);
        data()[m_size++] = value;
    }
    void pop_back() { --m_size; }
    void clear() { m_size = 0; }
    void shrink_to_fit()
    {
        if (capacity() > m_size)
            m_storage.resize(bytesFor(m_size), m_size * sizeof(T));
    }
    /// Replaces the contents with [first, last) (any iterators to values convertible to T),
    /// sized exactly.
    template <typename Iterator> void assign(Iterator first, Iterator last)
    {
        const auto count = static_cast<std::size_t>(std::distance(first, last));
        GrowableStorage fresh;
        fresh.resize(bytesFor(count), 0);
        std::copy(first, last, static_cast<T*>(fresh.data()));
        m_storage = std::move(fresh);
        m_size = count;
    }

private:
    static std::size_t bytesFor(std::size_t count)
    {
        if (count > std::size_t(-1) / sizeof(T))
            throw std::bad_alloc();
        return count * sizeof(T);
    }

    GrowableStorage m_storage;
    std::size_t m_size = 0;
};

} // namespace sightline::core::store::detail
