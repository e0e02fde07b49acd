# verilate() of Verilator 5.006 lists the generated C++ files when CMake
# configures; an RTL edit that changes which files Verilator writes (its
# DepSet_h<hash> and __N split names) then leaves the build compiling a
# stale list: undefined references until CMake is re-run by hand.
#
# specmamba_verilate_fresh(TARGET PREFIX SOURCES...) before verilate(TARGET
# PREFIX PREFIX ...): every RTL source becomes a configure dependency (an
# edit re-runs CMake at the start of the next build), and when the sources'
# contents changed since the last configure, Verilator re-runs at configure
# time (verilate() does so when its argument record is missing), so the file
# list CMake builds from is the one Verilator just wrote.
function(specmamba_verilate_fresh target prefix)
  get_target_property(bdir ${target} BINARY_DIR)
  set(vdir "${bdir}/CMakeFiles/${target}.dir/${prefix}.dir")  # as verilate() names it
  set(content "")
  foreach(f ${ARGN})
    file(SHA256 "${f}" h)
    string(APPEND content "${f} ${h}\n")
  endforeach()
  string(SHA256 digest "${content}")
  set(stamp "${vdir}/specmamba_rtl_sources.sha256")
  set(old "")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" old)
  endif()
  if(NOT old STREQUAL digest)
    file(REMOVE "${vdir}/verilator_args.txt")
  endif()
  file(MAKE_DIRECTORY "${vdir}")
  file(WRITE "${stamp}" "${digest}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ARGN})
endfunction()
