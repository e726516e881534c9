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
// The nothrow forms too (Catch2 allocates with them): every form that can reach the deletes
// above must allocate with malloc, or AddressSanitizer reports a new/free mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++descent_test::new_calls;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return ::operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
