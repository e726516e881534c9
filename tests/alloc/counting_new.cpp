// The counting global operator new of the allocation tests (kept apart from code that
// allocates, so the compiler never inlines a new/free pair it would misreport).
#include <cstddef>
#include <cstdlib>
#include <new>

namespace descent_test {
std::size_t new_calls = 0;
}

void* operator new(std::size_t size) {
  ++descent_test::new_calls;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
