# The GAN demo's checkpoint and non-finite options, end to end, in separate processes:
#   1. a run stopped at step 150 and resumed by another process ends bit for bit like a run
#      straight through (same samples file);
#   2. a NaN injected at step 120 under --non-finite raise stops the run with a message naming
#      the block and step, the checkpoint of step 100 stays intact and resumes to the end;
#   3. the same NaN under --non-finite skip is skipped and the run finishes.
# Run by CTest: cmake -DGAN=<path to gan> -DWORK_DIR=<scratch dir> -P checkpoint_cli.cmake
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(common --steps 300 --hidden 32 --no-progress)

function(run_gan expected_code out_var)
  execute_process(COMMAND "${GAN}" ${common} ${ARGN}
                  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE code
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL expected_code)
    message(FATAL_ERROR "gan ${ARGN}: exit code ${code}, expected ${expected_code}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

# 1. Exact resume in another process.
run_gan(0 out --out straight)
run_gan(0 out --no-files --checkpoint run.ckpt --checkpoint-every 100 --stop-after 150)
if(NOT out MATCHES "stopped after step 150 of 300")
  message(FATAL_ERROR "--stop-after 150 printed:\n${out}")
endif()
run_gan(0 out --resume run.ckpt --out resumed)
if(NOT out MATCHES "resumed from step: +150")
  message(FATAL_ERROR "--resume printed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                "${WORK_DIR}/straight_samples.csv" "${WORK_DIR}/resumed_samples.csv"
                RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "the resumed run's samples differ from the uninterrupted run's")
endif()

# 2. NaN under raise: a clean stop, the last checkpoint intact.
run_gan(2 out --no-files --non-finite raise --inject-nan 120 --checkpoint nan.ckpt
        --checkpoint-every 100)
if(NOT out MATCHES "training stopped at step 120: Adam: gradient of block \"gen.0.weight\" is not finite at step 120 \\(element 0 is nan\\); the last checkpoint, nan.ckpt, holds step 100")
  message(FATAL_ERROR "--inject-nan 120 under raise printed:\n${out}")
endif()
run_gan(0 out --no-files --non-finite raise --resume nan.ckpt --json)
if(NOT out MATCHES "\"resumed_from\": 100, \"skipped_steps\": 0")
  message(FATAL_ERROR "resuming after the NaN printed:\n${out}")
endif()

# 3. NaN under skip: one skipped step, the run finishes.
run_gan(0 out --no-files --inject-nan 120 --json)
if(NOT out MATCHES "\"skipped_steps\": 1")
  message(FATAL_ERROR "--inject-nan 120 under skip printed:\n${out}")
endif()

# 4. Resuming with other options is refused, naming what differs.
run_gan(2 out --no-files --hidden 16 --resume run.ckpt)
if(NOT out MATCHES "block \"gen.0.weight\": saved shape 32x8, optimizer has 16x8")
  message(FATAL_ERROR "resuming with another width printed:\n${out}")
endif()
