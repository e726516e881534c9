#pragma once
// Allocation guards for the zero-allocation tests. Include before anything that includes Eigen.
//
// Two independent witnesses: Eigen's own guard (EIGEN_RUNTIME_NO_MALLOC, with eigen_assert
// turned into an exception so a violation fails a test instead of aborting the binary), and a
// counting global operator new (which sees std::vector, std::string, ... but not Eigen, whose
// temporaries go through malloc).
#undef NDEBUG
#ifndef EIGEN_RUNTIME_NO_MALLOC
#define EIGEN_RUNTIME_NO_MALLOC
#endif

#include <cstddef>
#include <stdexcept>
#include <string>

namespace descent_test {
/// Thrown by eigen_assert in the allocation tests.
struct EigenAssertion : std::logic_error {
  using std::logic_error::logic_error;
};
/// Global count of operator new calls (defined in alloc_main.cpp).
extern std::size_t new_calls;
}  // namespace descent_test

#define eigen_assert(x) \
  if (!(x)) throw ::descent_test::EigenAssertion(#x)

#include <Eigen/Core>

namespace descent_test {

/// Counts operator new calls and forbids Eigen's heap allocation while alive.
class NoAllocScope {
 public:
  NoAllocScope() : start_(new_calls) { Eigen::internal::set_is_malloc_allowed(false); }
  ~NoAllocScope() { Eigen::internal::set_is_malloc_allowed(true); }
  NoAllocScope(const NoAllocScope&) = delete;
  NoAllocScope& operator=(const NoAllocScope&) = delete;
  /// operator new calls since the scope began.
  std::size_t new_calls_since_start() const { return new_calls - start_; }

 private:
  std::size_t start_;
};

}  // namespace descent_test
