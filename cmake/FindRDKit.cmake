# FindRDKit: RDKit's C++ libraries. Debian 12's librdkit-dev ships headers
# under /usr/include/rdkit and libraries in /usr/lib, without a CMake
# config, so they are found directly. Defines RDKit_FOUND and the imported
# target pk_rdkit (the libraries ligand preparation links).
find_path(RDKit_INCLUDE_DIR GraphMol/GraphMol.h PATH_SUFFIXES rdkit HINTS ${RDKit_ROOT}/include)
set(_pk_rdkit_components GraphMol SmilesParse FileParsers DistGeomHelpers DistGeometry ForceFieldHelpers ForceField
    PartialCharges SubstructMatch RDGeometryLib RDGeneral)
set(RDKit_LIBRARIES "")
set(_pk_rdkit_missing "")
foreach(_c IN LISTS _pk_rdkit_components)
  find_library(RDKit_${_c}_LIBRARY NAMES RDKit${_c} HINTS ${RDKit_ROOT}/lib)
  if(RDKit_${_c}_LIBRARY)
    list(APPEND RDKit_LIBRARIES ${RDKit_${_c}_LIBRARY})
  else()
    list(APPEND _pk_rdkit_missing RDKit${_c})
  endif()
endforeach()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(RDKit REQUIRED_VARS RDKit_INCLUDE_DIR RDKit_GraphMol_LIBRARY RDKit_FileParsers_LIBRARY
                                  RDKit_DistGeomHelpers_LIBRARY RDKit_ForceFieldHelpers_LIBRARY
                                  RDKit_PartialCharges_LIBRARY RDKit_SmilesParse_LIBRARY RDKit_RDGeneral_LIBRARY)
if(RDKit_FOUND AND NOT TARGET pk_rdkit)
  add_library(pk_rdkit INTERFACE)
  # SYSTEM: RDKit's and Boost's headers warn under -Wpedantic.
  target_include_directories(pk_rdkit SYSTEM INTERFACE ${RDKit_INCLUDE_DIR})
  target_link_libraries(pk_rdkit INTERFACE ${RDKit_LIBRARIES})
endif()
