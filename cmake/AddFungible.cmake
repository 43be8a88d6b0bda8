#===- AddFungible.cmake - Wrapped MLIR/LLVM helpers ----------------------===//
#
# This file wraps the MLIR CMake helpers once so every component builds the
# same way. Fungible links only Debian's shared libMLIR.so and libLLVM.so
# (never the static component archives): that keeps one copy of every MLIR
# registry in a process, so our libraries also load into Debian's mlir-opt
# as plugins, and our tools can load target plugins.
#
#===----------------------------------------------------------------------===//

# add_fungible_library(<name> <sources>... [DEPENDS <targets>...]
#                      [LINK_LIBS <libs>...])
# A static, position-independent library named Fungible<Component>, linked
# against the shared MLIR and LLVM libraries.
function(add_fungible_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
endfunction()

# add_fungible_tool(<name> <sources>... [LINK_LIBS <libs>...])
# An executable placed in build/bin.
function(add_fungible_tool name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} MLIR LLVM)
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# add_fungible_plugin(<name> <sources>... [LINK_LIBS <libs>...])
# A loadable module (dlopen) with hidden visibility: only the symbols marked
# for export (the plugin entry points) are visible.
function(add_fungible_plugin name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_library(${name} MODULE ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} MLIR LLVM)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
endfunction()

# add_fungible_doc(<td> <output.md> <mlir-tblgen flags>...)
# Generates documentation from a TableGen file at build time into
# build/docs/<output.md> (part of the default build; never hand-copied).
function(add_fungible_doc td output)
  set(LLVM_TARGET_DEFINITIONS ${td})
  get_filename_component(name ${output} NAME_WE)
  mlir_tablegen(${name}.md ${ARGN})
  set(dest ${CMAKE_BINARY_DIR}/docs/${output})
  add_custom_command(OUTPUT ${dest}
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_BINARY_DIR}/${name}.md ${dest}
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/${name}.md)
  add_custom_target(FungibleDoc${name} ALL DEPENDS ${dest})
endfunction()

# add_fungible_target_family(<Family> <sources>... [LINK_LIBS <libs>...])
# One chip family (targets/<family>/): its passes, declared in
# <Family>Passes.td (generated into <Family>Passes.h.inc, registered by
# registerFungible<Family>Passes(), documented in
# build/docs/Passes/<Family>Passes.md), and its library
# FungibleTarget<Family>, which links the shared target support.
function(add_fungible_target_family Family)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  set(LLVM_TARGET_DEFINITIONS ${Family}Passes.td)
  mlir_tablegen(${Family}Passes.h.inc -gen-pass-decls -name Fungible${Family})
  add_public_tablegen_target(Fungible${Family}PassesIncGen)
  add_fungible_doc(${Family}Passes.td Passes/${Family}Passes.md -gen-pass-doc)
  add_fungible_library(FungibleTarget${Family} ${ARG_UNPARSED_ARGUMENTS}
    DEPENDS Fungible${Family}PassesIncGen
    LINK_LIBS FungibleTargetSupport ${ARG_LINK_LIBS}
  )
endfunction()
