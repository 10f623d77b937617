#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace sightline::core::store {

/// A double-ended queue in one contiguous circular buffer: std::deque keeps large elements
/// a few to a block, so walking it misses the cache at almost every element; this one is
/// walked at memory speed. It grows by doubling; elements are default-constructed when added.
template <typename T> class RingDeque
{
public:
    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }

    T& operator[](std::size_t i) { return m_slots[slot(i)]; }
    const T& operator[](std::size_t i) const { return m_slots[slot(i)]; }
    T& front() { return (*this)[0]; }
    T& back() { return (*this)[m_size - 1]; }

    void clear()
    {
        for (std::size_t i = 0; i < m_size; ++i)
            (*this)[i] = T {};
        m_head = 0;
        m_size = 0;
    }
    /// `count` default elements.
    void assign(std::size_t count)
    {
        clear();
        resize(count);
    }
    void popFront()
    {
        front() = T {};
        m_head = m_head + 1 == m_slots.size() ? 0 : m_head + 1;
        --m_size;
    }
    void pushFront()
    {
        reserve(m_size + 1);
        m_head = m_head == 0 ? m_slots.size() - 1 : m_head - 1;
        ++m_size;
        front() = T {};
    }
    /// Drops elements from the back or adds default ones there.
    void resize(std::size_t count)
    {
        while (m_size > count) {
            back() = T {};
            --m_size;
        }
        reserve(count);
        while (m_size < count) {
            ++m_size;
            back() = T {};
        }
    }

private:
    [[nodiscard]] std::size_t slot(std::size_t i) const
    {
        const std::size_t at = m_head + i;
        return at >= m_slots.size() ? at - m_slots.size() : at;
    }
    void reserve(std::size_t count)
    {
        if (count <= m_slots.size())
            return;
        std::vector<T> grown(std::max(count, 2 * m_slots.size()));
        for (std::size_t i = 0; i < m_size; ++i)
            grown[i] = std::move((*this)[i]);
        m_slots = std::move(grown);
        m_head = 0;
    }

    std::vector<T> m_slots;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

} // namespace sightline::core::store
