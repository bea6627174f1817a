# pk_host_only(target): compile the target's sources with the host compiler
# even when CXX is nvcc_wrapper (Boost 1.74 breaks nvcc).
function(pk_host_only target)
  if(PK_NVCC_WRAPPER)
    target_compile_options(${target} PRIVATE --host-only)
  endif()
endfunction()

# pk_warnings(target): the project's warning set.
function(pk_warnings target)
  if(NOT PK_NVCC_WRAPPER)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  endif()
endfunction()
