#pragma once
// Runs the Catch2 session of a test binary; defined with Catch2's implementation in
// tests/catch_session.cpp, compiled once for every test binary.

namespace descent_test {
int run_catch(int argc, char** argv);
}  // namespace descent_test
