#!/usr/bin/env bash
# Builds the native MaxSim kernels: build.sh JAVA_HOME OUTPUT.so (run by Maven in process-classes).
# Each kernel picks its instructions per function (target attributes) and Java checks the CPU at load time
# (NativeMaxSim), so the library is built for the x86-64 baseline and runs on any x86-64 Linux.
set -euo pipefail
java_home=$1 out=$2
src=$(dirname "${BASH_SOURCE[0]}")
mkdir -p "$(dirname "$out")"
gcc -O3 -shared -fPIC -fno-strict-aliasing -Wall -Werror \
  -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out" "$src"/maxsim_jni.c "$src"/maxsim_int8.c "$src"/maxsim_bit.c
