#include "core/allocator_tuning.h"

#include <QTest>

#include <cstdlib>

class TestAllocatorTuning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void midSizedBlocksComeFromTheHeap()
    {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
        // An iterator chunk's size: glibc would map it fresh from the kernel (and unmap it
        // when freed) unless tuned; tuned, the heap serves it and keeps it for reuse.
        sightline::core::tuneAllocator();
        const std::size_t mappedBefore = mallinfo2().hblkhd;
        void* block = std::malloc(std::size_t(8) << 20);
        QVERIFY(block != nullptr);
        const std::size_t mappedAfter = mallinfo2().hblkhd;
        std::free(block);
        QCOMPARE(mappedAfter, mappedBefore);
#else
        QSKIP("glibc's allocator only");
#endif
    }
};

QTEST_GUILESS_MAIN(TestAllocatorTuning)
#include "tst_allocator_tuning.moc"
