# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# trtc_find_asio(<minimum Asio version> <minimum OpenSSL version> [IMPORTED]): standalone Asio has no CMake
# package, so its header is looked for (TRTC_ASIO_INCLUDE_DIR, e.g. Debian's libasio-dev in
# /usr/include) and its version read from asio/version.hpp. With Asio at least the minimum, OpenSSL's
# libssl (for asio::ssl) and Threads found, defines the INTERFACE target trtc_asio_standalone
# (imported, when called from the installed package) linking all three. Included by the top-level
# CMakeLists.txt and by the installed trtc_battle-config.cmake.
function(trtc_find_asio min_asio min_openssl)
  if(TARGET trtc_asio_standalone)
    return()
  endif()
  find_path(TRTC_ASIO_INCLUDE_DIR asio.hpp DOC "standalone Asio (Debian: libasio-dev)")
  if(NOT TRTC_ASIO_INCLUDE_DIR OR NOT EXISTS "${TRTC_ASIO_INCLUDE_DIR}/asio/version.hpp")
    return()
  endif()
  file(STRINGS "${TRTC_ASIO_INCLUDE_DIR}/asio/version.hpp" line REGEX "^#define ASIO_VERSION [0-9]+")
  string(REGEX MATCH "[0-9]+" v "${line}")
  if(NOT v)
    return()
  endif()
  math(EXPR major "${v} / 100000")
  math(EXPR minor "${v} / 100 % 1000")
  math(EXPR patch "${v} % 100")
  set(version "${major}.${minor}.${patch}")
  if(version VERSION_LESS min_asio)
    message(STATUS "trtc-battle: Asio ${version} in ${TRTC_ASIO_INCLUDE_DIR} is older than ${min_asio}: no trtc::asio")
    return()
  endif()
  find_package(OpenSSL ${min_openssl} QUIET COMPONENTS SSL Crypto)
  find_package(Threads QUIET)
  if(NOT TARGET OpenSSL::SSL OR NOT TARGET Threads::Threads)
    return()
  endif()
  if("IMPORTED" IN_LIST ARGN)
    add_library(trtc_asio_standalone INTERFACE IMPORTED)
  else()
    add_library(trtc_asio_standalone INTERFACE)
  endif()
  target_include_directories(trtc_asio_standalone SYSTEM INTERFACE "${TRTC_ASIO_INCLUDE_DIR}")
  target_link_libraries(trtc_asio_standalone INTERFACE OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
  set(TRTC_ASIO_VERSION "${version}" CACHE INTERNAL "the version of standalone Asio found")
endfunction()
