# Test registration: unit tests once (label `unit`), MPI tests at 1, 2 and 4
# ranks as <name>_np<N> (label `mpi`). The run-as-root and oversubscribe
# settings apply to the test environment only.
find_package(GTest REQUIRED)
set(PK_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1;OMPI_MCA_btl_vader_single_copy_mechanism=none;ASAN_OPTIONS=detect_leaks=0")

function(pk_test_executable target)
  cmake_parse_arguments(T "HOST_ONLY" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${target} ${T_SOURCES})
  target_link_libraries(${target} PRIVATE pk_test_main GTest::gtest GTest::gmock ${T_LIBS})
  if(T_HOST_ONLY)
    pk_host_only(${target})
  endif()
endfunction()

# pk_add_unit_test(name SOURCES ... [LIBS ...] [HOST_ONLY])
function(pk_add_unit_test name)
  pk_test_executable(${name} ${ARGN})
  add_test(NAME ${name} COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 1 $<TARGET_FILE:${name}>)
  set_tests_properties(${name} PROPERTIES LABELS unit ENVIRONMENT "${PK_TEST_ENV};OMP_NUM_THREADS=2" TIMEOUT 300)
endfunction()

# pk_add_mpi_test(name SOURCES ... [LIBS ...] [HOST_ONLY] [RANKS 1 2 4] [ARGS ...])
function(pk_add_mpi_test name)
  cmake_parse_arguments(M "" "" "RANKS;ARGS" ${ARGN})
  if(NOT M_RANKS)
    set(M_RANKS 1 2 4)
  endif()
  pk_test_executable(${name} ${M_UNPARSED_ARGUMENTS})
  foreach(n IN LISTS M_RANKS)
    add_test(NAME ${name}_np${n}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} --oversubscribe
                     $<TARGET_FILE:${name}> ${M_ARGS})
    set_tests_properties(${name}_np${n} PROPERTIES LABELS mpi PROCESSORS ${n}
                         ENVIRONMENT "${PK_TEST_ENV};OMP_NUM_THREADS=1;PK_TEST_RANKS=${n}" TIMEOUT 300)
  endforeach()
endfunction()

# A Python with h5py and numpy for the tests that read output files with an
# independent reader (Debian: python3-h5py). Prefer the system one: a user's
# pyenv/conda python on PATH often lacks h5py.
set(PK_PYTHON "" CACHE FILEPATH "Python 3 with h5py and numpy, for tests")
if(NOT PK_PYTHON)
  find_program(_pk_path_python python3)
  foreach(_cand /usr/bin/python3 ${_pk_path_python})
    if(EXISTS ${_cand})
      execute_process(COMMAND ${_cand} -c "import h5py, numpy" RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
      if(_rc EQUAL 0)
        set(PK_PYTHON ${_cand} CACHE FILEPATH "Python 3 with h5py and numpy, for tests" FORCE)
        break()
      endif()
    endif()
  endforeach()
endif()
if(NOT PK_PYTHON)
  message(FATAL_ERROR "No python3 with h5py and numpy found (Debian: apt-get install python3-h5py); set PK_PYTHON")
endif()
list(APPEND PK_TEST_ENV "PK_PYTHON=${PK_PYTHON}")
