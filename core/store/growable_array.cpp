#include "core/store/growable_array.h"

#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace sightline::core::store::detail {

namespace {

#if defined(__linux__)
    std::size_t pageRounded(std::size_t bytes)
    {
        static const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        return (bytes + page - 1) / page * page;
    }

    void* mapped(std::size_t bytes)
    {
        void* data
            = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (data == MAP_FAILED)
            throw std::bad_alloc();
        return data;
    }
#endif

} // namespace

void GrowableStorage::resize(std::size_t bytes, std::size_t kept)
{
    kept = std::min({ kept, bytes, m_bytes });
    if (bytes == 0) {
        release();
        return;
    }
#if defined(__linux__)
    if (bytes >= MappedBytes) {
        const std::size_t rounded = pageRounded(bytes);
        void* data = nullptr;
        if (m_mapped) { // the pages move (or the mapping grows in place): nothing is copied
            data = mremap(m_data, m_bytes, rounded, MREMAP_MAYMOVE);
            if (data == MAP_FAILED)
                throw std::bad_alloc();
        } else {
            data = mapped(rounded);
            if (kept > 0)
                std::memcpy(data, m_data, kept);
            std::free(m_data);
        }
        m_data = data;
        m_bytes = rounded;
        m_mapped = true;
        return;
    }
    if (m_mapped) { // small again: back to the heap
        void* data = std::malloc(bytes);
        if (data == nullptr)
            throw std::bad_alloc();
        if (kept > 0)
            std::memcpy(data, m_data, kept);
        release();
        m_data = data;
        m_bytes = bytes;
        return;
    }
#endif
    void* data = std::realloc(m_data, bytes);
    if (data == nullptr)
        throw std::bad_alloc();
    m_data = data;
    m_bytes = bytes;
}

void GrowableStorage::release()
{
#if defined(__linux__)
    if (m_mapped)
        munmap(m_data, m_bytes);
    else
        std::free(m_data);
#else
    std::free(m_data);
#endif
    m_data = nullptr;
    m_bytes = 0;
    m_mapped = false;
}

} // namespace sightline::core::store::detail
