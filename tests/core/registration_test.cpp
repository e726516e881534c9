// Registration: which Eigen objects add() accepts, which it rejects with which message, and that
// a rejected add() leaves the optimizer exactly as it was (strong guarantee).
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <limits>
#include <vector>

#include "core/twin.hpp"

using descent_test::MatrixX;
using descent_test::RowMajorMatrixX;
using descent_test::RowVectorX;
using descent_test::same_values;
using descent_test::Twin;
using descent_test::VectorX;

TEMPLATE_TEST_CASE("add() rejects an invalid block with a message naming it, changing nothing",
                   "[core][registration]", float, double) {
  using T = TestType;
  Twin<descent::Adam<T>> twin(descent::AdamOptions(0.1));
  descent::Adam<T>& opt = twin.a;
  MatrixX<T> w = MatrixX<T>::Constant(3, 3, T(1)), dw = MatrixX<T>::Constant(3, 3, T(0.5));
  MatrixX<T> x = MatrixX<T>::Constant(3, 2, T(1)), dx = MatrixX<T>::Constant(3, 2, T(0.5));
  const MatrixX<T> w_before = w, dw_before = dw;

  SECTION("gradient of another shape") {
    MatrixX<T> g(2, 3);
    CHECK_THROWS_WITH(opt.add("x", x, g),
                      "Adam: block \"x\": gradient shape 2x3 differs from parameter shape 3x2");
  }
  SECTION("a row vector as the gradient of a column vector of the same length") {
    VectorX<T> v = VectorX<T>::Ones(6);
    RowVectorX<T> g = RowVectorX<T>::Ones(6);
    CHECK_THROWS_WITH(opt.add("v", v, g),
                      "Adam: block \"v\": gradient shape 1x6 differs from parameter shape 6x1");
  }
  SECTION("a name already registered") {
    CHECK_THROWS_WITH(opt.add("w", x, dx),
                      "Adam: block \"w\": a block with this name is already registered");
  }
  SECTION("an empty name") {
    CHECK_THROWS_WITH(opt.add("", x, dx), "Adam: block name must not be empty");
  }
  SECTION("the same parameter object under a second name") {
    MatrixX<T> g(3, 2);
    CHECK_THROWS_WITH(
        opt.add("w2", twin.blocks_a.w, g),
        "Adam: block \"w2\": parameter storage overlaps the parameter of block \"w\"");
  }
  SECTION("a Map over part of a registered parameter") {
    Eigen::Map<VectorX<T>> tail(twin.blocks_a.w.data() + 4, 2);
    VectorX<T> g(2);
    CHECK_THROWS_WITH(
        opt.add("tail", tail, g),
        "Adam: block \"tail\": parameter storage overlaps the parameter of block \"w\"");
  }
  SECTION("a gradient that is the parameter itself") {
    CHECK_THROWS_WITH(opt.add("x", x, x),
                      "Adam: block \"x\": gradient aliases the parameter's own storage");
  }
  SECTION("a gradient overlapping part of its own parameter") {
    VectorX<T> v = VectorX<T>::Ones(6);
    Eigen::Map<VectorX<T>> head(v.data(), 4), shifted(v.data() + 2, 4);
    CHECK_THROWS_WITH(opt.add("v", head, shifted),
                      "Adam: block \"v\": gradient aliases the parameter's own storage");
  }
  SECTION("a gradient that is another block's parameter") {
    CHECK_THROWS_WITH(
        opt.add("x", x, twin.blocks_a.w),
        "Adam: block \"x\": storage aliases the parameter or gradient of block \"w\"");
  }
  SECTION("a parameter that is another block's gradient") {
    VectorX<T> g(4);
    CHECK_THROWS_WITH(
        opt.add("x", twin.blocks_a.db, g),
        "Adam: block \"x\": storage aliases the parameter or gradient of block \"b\"");
  }
  SECTION("a 2x2 block of a 3x3 matrix") {
    CHECK_THROWS_WITH(opt.add("blk", w.block(0, 0, 2, 2), dw.block(0, 0, 2, 2)),
                      "Adam: block \"blk\": parameter storage is not contiguous (inner stride 1, "
                      "outer stride 3, inner size 2); register the whole object, not a block or "
                      "strided view of it");
  }
  SECTION("a contiguous parameter with a 2x2 block of a 3x3 matrix as gradient") {
    MatrixX<T> p(2, 2);
    CHECK_THROWS_WITH(opt.add("blk", p, dw.block(0, 0, 2, 2)),
                      "Adam: block \"blk\": gradient storage is not contiguous (inner stride 1, "
                      "outer stride 3, inner size 2); register the whole object, not a block or "
                      "strided view of it");
  }
  SECTION("a row of a column-major matrix with more than one row") {
    RowVectorX<T> g(3);
    CHECK_THROWS_WITH(opt.add("row", w.row(0), g),
                      "Adam: block \"row\": parameter storage is not contiguous (inner stride 3, "
                      "outer stride 1, inner size 3); register the whole object, not a block or "
                      "strided view of it");
  }
  SECTION("a Ref with an outer stride over a block") {
    Eigen::Ref<MatrixX<T>, 0, Eigen::OuterStride<>> ref = w.block(1, 1, 2, 2);
    MatrixX<T> g(2, 2);
    CHECK_THROWS_WITH(opt.add("ref", ref, g),
                      "Adam: block \"ref\": parameter storage is not contiguous (inner stride 1, "
                      "outer stride 3, inner size 2); register the whole object, not a block or "
                      "strided view of it");
  }
  SECTION("a Map with a run-time inner stride of 2 (rejected at run time)") {
    VectorX<T> storage = VectorX<T>::Ones(6);
    Eigen::Map<VectorX<T>, 0, Eigen::InnerStride<>> strided(storage.data(), 3,
                                                            Eigen::InnerStride<>(2));
    VectorX<T> g(3);
    CHECK_THROWS_WITH(
        opt.add("strided", strided, g),
        "Adam: block \"strided\": parameter storage is not contiguous (inner stride 2, "
        "outer stride 6, inner size 3); register the whole object, not a block or strided view of "
        "it");
  }
  SECTION("a row-major gradient for a column-major parameter") {
    RowMajorMatrixX<T> g(3, 2);
    CHECK_THROWS_WITH(opt.add("x", x, g),
                      "Adam: block \"x\": gradient and parameter have different storage orders "
                      "(one row-major, one column-major)");
  }
  SECTION("a column-major gradient for a row-major parameter") {
    RowMajorMatrixX<T> p(3, 2);
    CHECK_THROWS_WITH(opt.add("x", p, dx),
                      "Adam: block \"x\": gradient and parameter have different storage orders "
                      "(one row-major, one column-major)");
  }
  SECTION("a negative lr_multiplier") {
    CHECK_THROWS_WITH(opt.add("x", x, dx, descent::BlockOptions().lr_multiplier(-0.5)),
                      "Adam: block \"x\": lr_multiplier must be finite and >= 0, got -0.5");
  }
  SECTION("a NaN lr_multiplier") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(opt.add("x", x, dx, descent::BlockOptions().lr_multiplier(nan)),
                      "Adam: block \"x\": lr_multiplier must be finite and >= 0, got nan");
  }
  SECTION("an infinite lr_multiplier") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(opt.add("x", x, dx, descent::BlockOptions().lr_multiplier(inf)),
                      "Adam: block \"x\": lr_multiplier must be finite and >= 0, got inf");
  }

  CHECK(opt.num_blocks() == 2);
  CHECK(same_values(w, w_before));
  CHECK(same_values(dw, dw_before));
  twin.check_identical_after_step();
}

TEMPLATE_TEST_CASE("A name refused for an invalid block can be registered afterwards",
                   "[core][registration]", float, double) {
  using T = TestType;
  descent::Sgd<T> opt(descent::SgdOptions(0.5));
  MatrixX<T> x = MatrixX<T>::Constant(3, 2, T(1)), dx = MatrixX<T>::Constant(3, 2, T(0.5));
  MatrixX<T> wrong(2, 3);
  CHECK_THROWS_AS(opt.add("x", x, wrong), std::invalid_argument);
  REQUIRE_NOTHROW(opt.add("x", x, dx));
  CHECK(opt.num_blocks() == 1);
  opt.step();
  CHECK(same_values(x, MatrixX<T>::Constant(3, 2, T(0.75))));  // 1 - 0.5 * 0.5
}

TEMPLATE_TEST_CASE("set_block_options() validates and keeps the old options on failure",
                   "[core][registration]", float, double) {
  using T = TestType;
  Twin<descent::Adam<T>> twin(descent::AdamOptions(0.1));
  descent::Adam<T>& opt = twin.a;
  SECTION("negative multiplier") {
    CHECK_THROWS_WITH(opt.set_block_options("w", descent::BlockOptions().lr_multiplier(-1)),
                      "Adam: block \"w\": lr_multiplier must be finite and >= 0, got -1");
  }
  SECTION("NaN multiplier") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(opt.set_block_options("w", descent::BlockOptions().lr_multiplier(nan)),
                      "Adam: block \"w\": lr_multiplier must be finite and >= 0, got nan");
  }
  SECTION("unknown block") {
    CHECK_THROWS_WITH(opt.set_block_options("x", descent::BlockOptions()),
                      "Adam: no block named \"x\"");
  }
  CHECK(opt.block("w").options().lr_multiplier() == 1.0);
  CHECK(opt.block("w").options().regularize());
  twin.check_identical_after_step();
}

TEMPLATE_TEST_CASE("set_block_options() changes the multiplier of later steps",
                   "[core][registration]", float, double) {
  using T = TestType;
  descent::Sgd<T> opt(descent::SgdOptions(0.5));
  VectorX<T> p = VectorX<T>::Constant(2, T(1)), g = VectorX<T>::Constant(2, T(1));
  opt.add("p", p, g);
  opt.set_block_options("p", descent::BlockOptions().lr_multiplier(0.25).regularize(false));
  CHECK(opt.block("p").options().lr_multiplier() == 0.25);
  CHECK_FALSE(opt.block("p").options().regularize());
  opt.step();
  CHECK(same_values(p, VectorX<T>::Constant(2, T(0.875))));  // 1 - 0.5 * 0.25 * 1
}

TEMPLATE_TEST_CASE("add() accepts every contiguous kind of Eigen object and updates it in place",
                   "[core][registration]", float, double) {
  using T = TestType;
  descent::Sgd<T> opt(descent::SgdOptions(0.5));
  // Each parameter starts at 1 and each gradient at 0.5, so one step leaves 1 - 0.5 * 0.5 = 0.75.
  const T one(1), half(0.5), expected(0.75);

  MatrixX<T> dyn = MatrixX<T>::Constant(3, 2, one), d_dyn = MatrixX<T>::Constant(3, 2, half);
  Eigen::Matrix<T, 2, 3> fixed = Eigen::Matrix<T, 2, 3>::Constant(one);
  Eigen::Matrix<T, 2, 3> d_fixed = Eigen::Matrix<T, 2, 3>::Constant(half);
  using ArrayXX = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  ArrayXX arr = ArrayXX::Constant(2, 2, one), d_arr = ArrayXX::Constant(2, 2, half);
  VectorX<T> col = VectorX<T>::Constant(4, one), d_col = VectorX<T>::Constant(4, half);
  RowVectorX<T> row = RowVectorX<T>::Constant(5, one), d_row = RowVectorX<T>::Constant(5, half);
  std::vector<T> buffer(6, one), d_buffer(6, half);
  MatrixX<T> full = MatrixX<T>::Constant(2, 3, one), d_full = MatrixX<T>::Constant(2, 3, half);
  Eigen::Ref<MatrixX<T>> ref(full), d_ref(d_full);
  MatrixX<T> wide = MatrixX<T>::Constant(3, 4, one), d_left = MatrixX<T>::Constant(3, 2, half);
  RowMajorMatrixX<T> rm = RowMajorMatrixX<T>::Constant(2, 3, one);
  RowMajorMatrixX<T> d_rm = RowMajorMatrixX<T>::Constant(2, 3, half);
  // One row or column has the same flat order in either storage order, so they may be mixed.
  RowMajorMatrixX<T> rm_row = RowMajorMatrixX<T>::Constant(1, 3, one);
  MatrixX<T> d_cm_row = MatrixX<T>::Constant(1, 3, half);

  opt.add("dynamic", dyn, d_dyn);
  opt.add("fixed", fixed, d_fixed);
  opt.add("array", arr, d_arr);
  opt.add("column", col, d_col);
  opt.add("row", row, d_row);
  opt.add("map", Eigen::Map<VectorX<T>>(buffer.data(), 6),
          Eigen::Map<VectorX<T>>(d_buffer.data(), 6));
  opt.add("ref", ref, d_ref);
  opt.add("left_cols", wide.leftCols(2), d_left);
  opt.add("row_major", rm, d_rm);
  opt.add("mixed_order_row", rm_row, d_cm_row);
  REQUIRE(opt.num_blocks() == 10);
  CHECK(opt.block("left_cols").rows() == 3);
  CHECK(opt.block("left_cols").cols() == 2);

  opt.step();
  CHECK(same_values(dyn, MatrixX<T>::Constant(3, 2, expected)));
  CHECK(same_values(fixed, MatrixX<T>::Constant(2, 3, expected)));
  CHECK(same_values(arr.matrix(), MatrixX<T>::Constant(2, 2, expected)));
  CHECK(same_values(col, VectorX<T>::Constant(4, expected)));
  CHECK(same_values(row, RowVectorX<T>::Constant(5, expected)));
  CHECK(buffer == std::vector<T>(6, expected));
  CHECK(same_values(full, MatrixX<T>::Constant(2, 3, expected)));
  CHECK(same_values(wide.leftCols(2), MatrixX<T>::Constant(3, 2, expected)));
  CHECK(same_values(wide.rightCols(2), MatrixX<T>::Constant(3, 2, one)));
  CHECK(same_values(rm, MatrixX<T>::Constant(2, 3, expected)));
  CHECK(same_values(rm_row, MatrixX<T>::Constant(1, 3, expected)));
}

TEMPLATE_TEST_CASE("A row-major block is updated element by element like its gradient",
                   "[core][registration]", float, double) {
  using T = TestType;
  descent::Sgd<T> opt(descent::SgdOptions(1.0));
  RowMajorMatrixX<T> p = RowMajorMatrixX<T>::Zero(2, 3), g(2, 3);
  g << T(1), T(2), T(3), T(4), T(5), T(6);
  opt.add("p", p, g);
  opt.step();
  CHECK(same_values(p, -g));
}

TEMPLATE_TEST_CASE("Zero-size blocks register, count, and make a step a no-op for them",
                   "[core][registration]", float, double) {
  using T = TestType;
  descent::Adam<T> opt(descent::AdamOptions(0.1));
  VectorX<T> empty, d_empty;
  MatrixX<T> no_rows(0, 3), d_no_rows(0, 3);
  VectorX<T> p = VectorX<T>::Constant(2, T(1)), g = VectorX<T>::Constant(2, T(0.5));
  // Both empty vectors have null storage: that must not count as aliasing.
  REQUIRE_NOTHROW(opt.add("empty", empty, d_empty));
  REQUIRE_NOTHROW(opt.add("no_rows", no_rows, d_no_rows));
  REQUIRE_NOTHROW(opt.add("p", p, g));
  CHECK(opt.num_blocks() == 3);
  CHECK(opt.block("empty").size() == 0);
  CHECK(opt.block("no_rows").rows() == 0);
  CHECK(opt.block("no_rows").cols() == 3);
  REQUIRE_NOTHROW(opt.step());
  REQUIRE_NOTHROW(opt.zero_grad());
  CHECK(empty.size() == 0);
  CHECK(no_rows.size() == 0);
  CHECK(opt.state("empty").exp_avg.size() == 0);
  CHECK(opt.step_count() == 1);
  // Adam's first step moves each element by lr * sign(g) = 0.1 (up to eps).
  CHECK(p(0) == Approx(T(0.9)));
}
