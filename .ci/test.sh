#!/usr/bin/env bash
# Runs the whole test suite, unit and integration, on a fresh machine: installs the registry and
# skopeo when missing, then builds with the Maven wrapper (formatter and checkstyle included).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-packages.sh docker-registry skopeo
./mvnw -B -ntp verify "$@"
