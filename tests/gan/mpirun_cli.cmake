# The GAN demo under mpirun, end to end:
#   1. two processes with --batch 16 train exactly like one process with --shards 2 --batch 32
#      (same samples file, bit for bit: the averaged gradients are the same sums);
#   2. a two-process run stopped at step 100 (rank 0 writes the checkpoint) resumes under
#      mpirun, and in a single process with --shards 2, to the same end;
#   3. a NaN injected into one process's gradient reaches both, which skip the step together.
# Run by CTest: cmake -DGAN=<gan> -DMPIEXEC=<mpiexec> -DWORK_DIR=<dir> -P mpirun_cli.cmake
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(common --steps 240 --hidden 32 --no-progress)

function(run expected_code out_var)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE code
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL expected_code)
    message(FATAL_ERROR "${ARGN}: exit code ${code}, expected ${expected_code}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()
function(same_samples a b what)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK_DIR}/${a}_samples.csv"
                  "${WORK_DIR}/${b}_samples.csv" RESULT_VARIABLE differ)
  if(differ)
    message(FATAL_ERROR "${what}: ${a}_samples.csv and ${b}_samples.csv differ")
  endif()
endfunction()
set(mpirun "${MPIEXEC}" -np 2 --oversubscribe)

# 1. Two processes == one process with two shards and twice the batch.
run(0 out ${mpirun} "${GAN}" ${common} --batch 16 --out two --json)
if(NOT out MATCHES "\"processes\": 2, \"shards\": 2, \"batch\": 32")
  message(FATAL_ERROR "mpirun -np 2 gan --json printed:\n${out}")
endif()
run(0 out "${GAN}" ${common} --shards 2 --batch 32 --out sharded)
same_samples(two sharded "mpirun -np 2 --batch 16 vs --shards 2 --batch 32")

# 2. A distributed checkpoint resumes under mpirun and in one process with --shards 2.
run(0 out ${mpirun} "${GAN}" ${common} --batch 16 --no-files --checkpoint two.ckpt
    --checkpoint-every 50 --stop-after 100)
if(NOT out MATCHES "stopped after step 100 of 240")
  message(FATAL_ERROR "--stop-after 100 under mpirun printed:\n${out}")
endif()
run(0 out ${mpirun} "${GAN}" ${common} --batch 16 --resume two.ckpt --out resumed_two)
same_samples(two resumed_two "resumed under mpirun")
run(0 out "${GAN}" ${common} --shards 2 --batch 32 --resume two.ckpt --out resumed_one)
same_samples(two resumed_one "resumed in one process with --shards 2")
run(2 out "${GAN}" ${common} --shards 1 --batch 32 --resume two.ckpt --no-files)
if(NOT out MATCHES "generator \"data.1\": in the checkpoint, not added")
  message(FATAL_ERROR "resuming two shards as one printed:\n${out}")
endif()

# 3. A NaN in rank 0's gradient at step 120 is skipped by both processes.
run(0 out ${mpirun} "${GAN}" ${common} --batch 16 --no-files --inject-nan 120 --json)
if(NOT out MATCHES "\"skipped_steps\": 1,")
  message(FATAL_ERROR "--inject-nan 120 under mpirun printed:\n${out}")
endif()
