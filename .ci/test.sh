#!/usr/bin/env bash
# Runs the whole test suite, unit and integration, on a fresh machine: installs the registry,
# skopeo and prometheus (which the sample's demo check runs) when missing, then builds with the
# Maven wrapper (formatter and checkstyle included).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-packages.sh docker-registry skopeo prometheus
./mvnw -B -ntp verify "$@"
