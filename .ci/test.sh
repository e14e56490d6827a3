#!/usr/bin/env bash
# Runs the whole test suite, unit and integration, and a smoke run of the benchmarks, on a fresh
# machine: installs the registry, skopeo and prometheus (which the sample's demo check runs) when
# missing, then builds with the Maven wrapper (formatter and checkstyle included).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-packages.sh docker-registry skopeo prometheus
./mvnw -B -ntp verify "$@"
# One short iteration of every benchmark (JMH, memory, end to end against a real registry), so
# they keep compiling and running; their figures mean nothing (docs/performance.md).
./mvnw -B -ntp -Pbenchmarks,benchmarks-smoke -pl oci-token-cache-autoconfigure -DskipTests verify
