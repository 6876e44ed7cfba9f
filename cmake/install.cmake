# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Install rules (TRTC_INSTALL), included by the top-level CMakeLists.txt: the headers, the CMake
# package, one pkg-config file for the core and one per adapter, the implementation unit of
# separate compilation, and the CPack settings of a .deb of all that (docs/building.md).
#
# Every installed file is arch-independent, under DATADIR and INCLUDEDIR, and in the install
# component `development`; the CLI (examples/) installs into its own component and is not packaged.
# Nothing installed names the prefix: the CMake package finds itself from its own location, the
# .pc files from ${pcfiledir}, so an install can be moved or copied anywhere.

include(CMakePackageConfigHelpers)
set(trtc_cmake_dir "${CMAKE_INSTALL_DATADIR}/cmake/trtc_battle")
set(trtc_data_dir "${CMAKE_INSTALL_DATADIR}/trtc_battle")
set(trtc_pc_dir "${CMAKE_INSTALL_DATADIR}/pkgconfig")
set(trtc_component COMPONENT development)

install(DIRECTORY "${trtc_include_dir}/trtc" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        ${trtc_component})
install(FILES cmake/trtc_battle_compiled.cpp DESTINATION "${trtc_data_dir}" ${trtc_component})
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/trtc_battle" ${trtc_component})

# The CMake package. Only trtc::battle is exported; the config file itself defines the adapter
# targets (where their dependency is found by the consumer, whatever the packaging machine had)
# and trtc::battle_compiled (compiled in the consumer's build).
install(TARGETS trtc_battle EXPORT trtc_battle-targets)
install(EXPORT trtc_battle-targets NAMESPACE trtc:: DESTINATION "${trtc_cmake_dir}"
        ${trtc_component})
export(EXPORT trtc_battle-targets NAMESPACE trtc::
       FILE "${PROJECT_BINARY_DIR}/trtc_battle-targets.cmake")
configure_package_config_file(cmake/trtc_battle-config.cmake.in
  "${PROJECT_BINARY_DIR}/trtc_battle-config.cmake"
  INSTALL_DESTINATION "${trtc_cmake_dir}"
  PATH_VARS trtc_data_dir)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/trtc_battle-config-version.cmake"
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/trtc_battle-config.cmake"
              "${PROJECT_BINARY_DIR}/trtc_battle-config-version.cmake"
              cmake/trtc_asio.cmake
              cmake/trtc_hiredis.cmake
        DESTINATION "${trtc_cmake_dir}" ${trtc_component})

# pkg-config: trtc_battle.pc and trtc_battle-<adapter>.pc (the names of the meson dependencies),
# each adapter's file requiring the core and the real dependency's own .pc file. The prefix is
# ${pcfiledir} climbed up to the install root, when the directories are relative (the default);
# an absolute CMAKE_INSTALL_DATADIR or INCLUDEDIR is written as it is (not relocatable then).
cmake_path(SET trtc_pc_dir_normal NORMALIZE "${trtc_pc_dir}")
if(IS_ABSOLUTE "${trtc_pc_dir_normal}")
  set(trtc_pc_prefix "${CMAKE_INSTALL_PREFIX}")
else()
  string(REGEX REPLACE "/$" "" trtc_pc_up "${trtc_pc_dir_normal}")
  string(REGEX REPLACE "[^/]+" ".." trtc_pc_up "${trtc_pc_up}")
  set(trtc_pc_prefix "\${pcfiledir}/${trtc_pc_up}")
endif()
foreach(dir INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(trtc_pc_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(trtc_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(cmake/trtc_battle.pc.in "${PROJECT_BINARY_DIR}/pkgconfig/trtc_battle.pc" @ONLY)
set(trtc_pc_files "${PROJECT_BINARY_DIR}/pkgconfig/trtc_battle.pc")
foreach(spec "openssl;libcrypto;HMAC-SHA256 through OpenSSL"
             "zlib;zlib;deflate and inflate through zlib"
             "curl;libcurl;the HTTPS transport over libcurl"
             "nlohmann_json;nlohmann_json;the JSON policy over nlohmann/json"
             "asio;libssl;the asynchronous transport on standalone Asio (its headers, which ship no .pc file, on the include path) and OpenSSL"
             "redis;hiredis;the rate limiter shared by a fleet through Redis, over hiredis")
  list(GET spec 0 trtc_pc_adapter)
  list(GET spec 1 trtc_pc_requires)
  list(GET spec 2 trtc_pc_what)
  set(trtc_pc_minimum "${trtc_min_${trtc_pc_adapter}}")
  if(trtc_pc_adapter STREQUAL "asio")
    # Asio ships no .pc file: the requirements are OpenSSL's (libssl's file does not bring
    # libcrypto's flags, which asio::ssl calls too).
    set(trtc_pc_requires "libssl >= ${trtc_min_openssl}, libcrypto")
    set(trtc_pc_minimum "${trtc_min_openssl}")
  endif()
  set(out "${PROJECT_BINARY_DIR}/pkgconfig/trtc_battle-${trtc_pc_adapter}.pc")
  configure_file(cmake/trtc_battle-adapter.pc.in "${out}" @ONLY)
  list(APPEND trtc_pc_files "${out}")
endforeach()
install(FILES ${trtc_pc_files} DESTINATION "${trtc_pc_dir}" ${trtc_component})

# A .deb of the `development` component: `cpack -G DEB` in a build tree configured with this
# project at the top level. Architecture all (headers and text files only); the adapters'
# dependencies are suggested, not required.
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME trtc-battle-dev)
  set(CPACK_PACKAGE_VENDOR "The trtc-battle authors")
  set(CPACK_PACKAGE_CONTACT "The trtc-battle authors")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
  set(CPACK_PACKAGE_DESCRIPTION
      "Headers, CMake package (trtc_battle) and pkg-config files (trtc_battle, trtc_battle-<adapter>).")
  set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  # Only the library's component, whatever else the tree installs.
  set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};development;/")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE all)
  set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS
      "libssl-dev, zlib1g-dev, libcurl4-openssl-dev | libcurl-dev, nlohmann-json3-dev, libasio-dev, libhiredis-dev, pkg-config")
  set(CPACK_GENERATOR DEB)
  set(CPACK_SOURCE_GENERATOR "")
  include(CPack)
endif()
