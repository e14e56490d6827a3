#!/usr/bin/env bash
# Installs the Debian packages that the tests and the demo run as real processes, when missing.
# Usage: .ci/install-packages.sh [command...]   (default: docker-registry skopeo)
set -euo pipefail

declare -A package_of=(
	[docker-registry]=docker-registry
	[skopeo]=skopeo
	[prometheus]=prometheus
	[ss]=iproute2
	[curl]=curl
)
commands=("$@")
[ ${#commands[@]} -gt 0 ] || commands=(docker-registry skopeo)

missing=()
for command in "${commands[@]}"; do
	command -v "$command" >/dev/null 2>&1 || missing+=("${package_of[$command]:-$command}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "Missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
		exit 1
	fi
fi
echo "Installing Debian packages: ${missing[*]}"
${sudo:-} apt-get update -qq
# --no-install-recommends keeps prometheus from pulling in node-exporter and its service.
DEBIAN_FRONTEND=noninteractive ${sudo:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
