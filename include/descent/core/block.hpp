#pragma once
/// A block: a named pair of flat, non-owning views (value, gradient) over the user's Eigen storage.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "descent/core/block_options.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// A flat column view over contiguous storage of `Scalar`.
template <class Scalar>
using FlatView = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>;

/// One registered parameter: its name, shape, value view, gradient view and options.
///
/// Lifetime: the views point into the user's objects. Resizing, reassigning with a different
/// size, moving or destroying a registered object invalidates its block; register it again
/// in a fresh optimizer afterwards.
template <class Scalar>
class Block {
 public:
  Block(std::string name, Scalar* value, Scalar* gradient, Eigen::Index rows, Eigen::Index cols,
        BlockOptions options)
      : name_(std::move(name)),
        value_(value, rows * cols),
        gradient_(gradient, rows * cols),
        rows_(rows),
        cols_(cols),
        options_(options) {}

  const std::string& name() const { return name_; }
  Eigen::Index rows() const { return rows_; }
  Eigen::Index cols() const { return cols_; }
  Eigen::Index size() const { return value_.size(); }
  FlatView<Scalar>& value() { return value_; }
  const FlatView<Scalar>& value() const { return value_; }
  FlatView<Scalar>& gradient() { return gradient_; }
  const FlatView<Scalar>& gradient() const { return gradient_; }
  const BlockOptions& options() const { return options_; }
  void set_options(const BlockOptions& options) { options_ = options; }

 private:
  std::string name_;
  FlatView<Scalar> value_;
  FlatView<Scalar> gradient_;
  Eigen::Index rows_;
  Eigen::Index cols_;
  BlockOptions options_;
};

namespace detail {

/// Compile-time requirements on an object registered as a parameter or gradient; true when
/// all hold (each failure is reported by its own static_assert).
template <class Scalar, class Object>
constexpr bool check_block_type() {
  static_assert(!std::is_const<Object>::value, "descent: a block must be writable (not const)");
  using Plain = std::remove_const_t<Object>;
  constexpr bool dense = std::is_base_of<Eigen::DenseBase<Plain>, Plain>::value;
  static_assert(dense, "descent: a block must be a dense Eigen object (Matrix, Array, Map or Ref)");
  if constexpr (dense) {
    static_assert(std::is_same<typename Plain::Scalar, Scalar>::value,
                  "descent: the block's scalar type differs from the optimizer's Scalar");
    static_assert(
        (Plain::Flags & Eigen::DirectAccessBit) != 0,
        "descent: a block needs storage of its own; an expression such as W * 2 has none");
    static_assert((Plain::Flags & Eigen::LvalueBit) != 0,
                  "descent: a block must be writable (not const)");
    static_assert(
        Plain::InnerStrideAtCompileTime == 1 || Plain::InnerStrideAtCompileTime == Eigen::Dynamic,
        "descent: a block must be contiguous; a strided view cannot be registered");
    return !std::is_const<Object>::value && std::is_same<typename Plain::Scalar, Scalar>::value &&
           (Plain::Flags & Eigen::DirectAccessBit) != 0 && (Plain::Flags & Eigen::LvalueBit) != 0;
  } else {
    return false;
  }
}

template <class D>
std::true_type owns_storage(const Eigen::PlainObjectBase<D>*);
std::false_type owns_storage(...);

/// True for Matrix and Array (objects that own their storage), false for views (Map, Ref, ...).
template <class Object>
constexpr bool is_owning_object =
    decltype(owns_storage(std::declval<std::remove_reference_t<Object>*>()))::value;

/// True when the object's elements form one contiguous run in memory.
template <class Object>
bool is_contiguous(const Object& object) {
  if (object.size() <= 1) return true;
  if (object.innerStride() != 1) return false;
  return object.outerSize() <= 1 || object.outerStride() == object.innerSize();
}

/// Throws std::invalid_argument if `object` (the block's `what`) is not one contiguous run.
template <class Object>
void require_contiguous(const std::string& who, const char* what, const Object& object) {
  if (is_contiguous(object)) return;
  throw std::invalid_argument(who + ": " + what + " storage is not contiguous (inner stride " +
                              std::to_string(object.innerStride()) + ", outer stride " +
                              std::to_string(object.outerStride()) + ", inner size " +
                              std::to_string(object.innerSize()) +
                              "); register the whole object, not a block or strided view of it");
}

/// True when [a, a + na) and [b, b + nb) share at least one element.
template <class Scalar>
bool overlaps(const Scalar* a, Eigen::Index na, const Scalar* b, Eigen::Index nb) {
  if (na == 0 || nb == 0) return false;
  const std::less<const Scalar*> before;
  return before(a, b + nb) && before(b, a + na);
}

/// Builds a block after checking shape, storage order, contiguity and self-aliasing.
/// Errors are std::invalid_argument prefixed by `owner` and the block's name.
template <class Scalar, class Value, class Gradient>
Block<Scalar> make_block(const std::string& owner, std::string name, Value& value,
                         Gradient& gradient, const BlockOptions& options) {
  constexpr bool valid = check_block_type<Scalar, Value>() && check_block_type<Scalar, Gradient>();
  if constexpr (!valid) {
    // The static_asserts above have said what is wrong; stop here without further errors.
    throw std::logic_error("descent: invalid block type");
  } else {
    const std::string who = owner + ": block \"" + name + "\"";
    if (name.empty()) throw std::invalid_argument(owner + ": block name must not be empty");
    options.validate(who);
    if (value.rows() != gradient.rows() || value.cols() != gradient.cols()) {
      throw std::invalid_argument(
          who + ": gradient shape " + format_shape(gradient.rows(), gradient.cols()) +
          " differs from parameter shape " + format_shape(value.rows(), value.cols()));
    }
    if (bool(Value::IsRowMajor) != bool(Gradient::IsRowMajor) && value.rows() > 1 &&
        value.cols() > 1) {
      throw std::invalid_argument(who +
                                  ": gradient and parameter have different storage orders "
                                  "(one row-major, one column-major)");
    }
    require_contiguous(who, "parameter", value);
    require_contiguous(who, "gradient", gradient);
    if (overlaps<Scalar>(value.data(), value.size(), gradient.data(), gradient.size())) {
      throw std::invalid_argument(who + ": gradient aliases the parameter's own storage");
    }
    return Block<Scalar>(std::move(name), value.data(), gradient.data(), value.rows(), value.cols(),
                         options);
  }
}

}  // namespace detail
}  // namespace descent
