# Compiles SOURCE (syntax and template instantiation only) and checks the outcome against the
# expectation on its first line; see CMakeLists.txt in this folder.
# file(READ), not file(STRINGS): the expected text may hold a ';', which a list would escape.
file(READ ${SOURCE} head LIMIT 1000)
string(REGEX MATCH "^[^\n]*" expectation "${head}")
if(expectation MATCHES "^// expected-error: (.+)$")
  set(expected_error "${CMAKE_MATCH_1}")
elseif(expectation MATCHES "^// expected: compiles$")
  set(expected_error "")
else()
  message(FATAL_ERROR "${SOURCE}: first line must be '// expected-error: <text>' or "
                      "'// expected: compiles', got '${expectation}'")
endif()

string(REPLACE "|" ";" system_dirs "${SYSTEM_INCLUDE_DIRS}")
set(include_flags -I${INCLUDE_DIR})
foreach(dir ${system_dirs})
  list(APPEND include_flags -isystem ${dir})
endforeach()

# The project's warning flags, so the control also shows the headers compile warning-free.
# LC_ALL=C keeps the compiler's "error:" untranslated.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C
          ${CXX_COMPILER} ${STANDARD_FLAG} -fsyntax-only
          -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
          ${include_flags} ${SOURCE}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)

if(expected_error STREQUAL "")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} should compile but failed (${result}):\n${output}")
  endif()
  return()
endif()

if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but should fail with: ${expected_error}")
endif()
# Only error lines count: g++ also echoes the source line of a static_assert, text included.
string(REGEX MATCHALL "[^\n]*error[^\n]*" error_lines "${output}")
string(FIND "${error_lines}" "${expected_error}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "${SOURCE} failed to compile, but no error says '${expected_error}':\n"
                      "${output}")
endif()
