# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# trtc_find_hiredis(<minimum hiredis version> [IMPORTED]): hiredis 1.x installs a CMake package
# (hiredis::hiredis), Debian's 0.14 only a .pc file and a package that defines no target. So the
# package's target is used when there is one, else the header (TRTC_HIREDIS_INCLUDE_DIR, the
# directory holding hiredis/hiredis.h) and the library (TRTC_HIREDIS_LIBRARY) are looked for, and
# the version read from hiredis.h. With hiredis at least the minimum, defines the INTERFACE
# target trtc_hiredis_lib (imported, when called from the installed package). Included by the
# top-level CMakeLists.txt and by the installed trtc_battle-config.cmake.
function(trtc_find_hiredis min_hiredis)
  if(TARGET trtc_hiredis_lib)
    return()
  endif()
  find_package(hiredis CONFIG QUIET)
  find_path(TRTC_HIREDIS_INCLUDE_DIR hiredis/hiredis.h DOC "hiredis (Debian: libhiredis-dev)")
  if(NOT TRTC_HIREDIS_INCLUDE_DIR)
    return()
  endif()
  file(STRINGS "${TRTC_HIREDIS_INCLUDE_DIR}/hiredis/hiredis.h" lines
       REGEX "^#define HIREDIS_(MAJOR|MINOR|PATCH) [0-9]+")
  set(version)
  foreach(part MAJOR MINOR PATCH)
    string(REGEX MATCH "HIREDIS_${part} ([0-9]+)" m "${lines}")
    list(APPEND version "${CMAKE_MATCH_1}")
  endforeach()
  list(JOIN version "." version)
  if(NOT version MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$" OR version VERSION_LESS min_hiredis)
    message(STATUS "trtc-battle: hiredis ${version} is older than ${min_hiredis}: no trtc::redis")
    return()
  endif()
  if("IMPORTED" IN_LIST ARGN)
    add_library(trtc_hiredis_lib INTERFACE IMPORTED)
  else()
    add_library(trtc_hiredis_lib INTERFACE)
  endif()
  if(TARGET hiredis::hiredis)
    target_link_libraries(trtc_hiredis_lib INTERFACE hiredis::hiredis)
  else()
    find_library(TRTC_HIREDIS_LIBRARY hiredis DOC "the hiredis library")
    if(NOT TRTC_HIREDIS_LIBRARY)
      return()
    endif()
    target_include_directories(trtc_hiredis_lib SYSTEM INTERFACE "${TRTC_HIREDIS_INCLUDE_DIR}")
    target_link_libraries(trtc_hiredis_lib INTERFACE "${TRTC_HIREDIS_LIBRARY}")
  endif()
  set(TRTC_HIREDIS_VERSION "${version}" CACHE INTERNAL "the version of hiredis found")
endfunction()
