#!/usr/bin/env bash
# The oci-token-cache demo, in one command: a real registry with token authentication, a local
# stand-in for its auth service, the sample application twice (with the token cache, and with
# demo.cache=false), a series of requests, the figures side by side, and a real Prometheus.
#
# Usage: samples/registry-demo/demo.sh [--short] [--no-build]
#   --short     fewer requests and shorter waits (for CI); every figure is still shown
#   --no-build  use the jar already built in samples/registry-demo/target
#
# Everything listens on 127.0.0.1 only, and everything started here is stopped on exit,
# on failure and on Ctrl-C. No password or token is ever printed.
set -euo pipefail

short=false
build=true
for arg in "$@"; do
	case "$arg" in
		--short) short=true ;;
		--no-build) build=false ;;
		*) echo "Unknown option: $arg (use --short, --no-build)" >&2; exit 2 ;;
	esac
done

demo_dir=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$demo_dir/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/registry-demo.XXXXXX")
pids=()
# Tests of the sample skip the demo check when the demo itself runs them.
export OCI_TOKEN_CACHE_DEMO_RUNNING=1

stop_all() {
	local status=$?
	trap - EXIT INT TERM
	if [ ${#pids[@]} -gt 0 ]; then
		echo
		echo "Stopping what the demo started (${#pids[@]} processes) ..."
		for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
			kill -TERM "${pids[$i]}" 2>/dev/null || true
		done
		for pid in "${pids[@]}"; do
			wait "$pid" 2>/dev/null || true
		done
		local listening=""
		for port in $taken_ports; do
			[ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ] || listening="$listening $port"
		done
		if [ -n "$listening" ]; then
			echo "Still listening on 127.0.0.1 after the demo:$listening" >&2
			[ "$status" -ne 0 ] || status=1
		else
			echo "Nothing the demo started is still listening (ss -ltn shows none of ports$taken_ports)."
		fi
	fi
	if [ "$status" -eq 130 ] || [ "$status" -eq 143 ]; then
		echo "The demo was interrupted." >&2
	elif [ "$status" -ne 0 ] && [ -d "$work" ]; then
		echo "The demo failed (exit status $status). Last log lines:" >&2
		for log in "$work"/*.log; do
			[ -f "$log" ] && { echo "--- $(basename "$log")" >&2; tail -n 15 "$log" >&2; }
		done
	fi
	rm -rf "$work"
	exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$*"; }
fail() { echo "ERROR: $*" >&2; exit 1; }

# Sets the variable named $1 to a free loopback port: random, not listening now, and not
# handed out before in this run (so not called in a subshell, which would forget that).
taken_ports=""
free_port() {
	local port
	for _ in $(seq 1 200); do
		port=$((20000 + RANDOM % 40000))
		case " $taken_ports " in *" $port "*) continue ;; esac
		if [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
			taken_ports="$taken_ports $port"
			printf -v "$1" '%s' "$port"
			return
		fi
	done
	fail "no free port found"
}

# Waits until a URL answers with the given status, while the process is alive.
wait_for() {
	local url=$1 status=$2 pid=$3 what=$4 seconds=${5:-60}
	local deadline=$((SECONDS + seconds))
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = "$status" ]; do
		kill -0 "$pid" 2>/dev/null || fail "$what exited during start-up"
		[ $SECONDS -lt $deadline ] || fail "$what was not ready within ${seconds}s"
		sleep 0.1
	done
}

if $short; then
	rounds=1
	token_lifetime=6
else
	rounds=3
	token_lifetime=10
fi
# The cache stops handing out a token when less than its margin is left, never taking more
# than half the lifetime: with these short lifetimes, after half of it.
hand_out_secs=$((token_lifetime / 2))

step "oci-token-cache registry demo$($short && echo ' (short mode)')"
say "A real registry with token authentication runs on this machine. The sample application lists"
say "tags, resolves digests and pushes through the oci-token-cache starter, once with its token cache"
say "and once without; the figures at the end show what the cache saves."
say "Work directory: $work (deleted at the end)"

step "1. Tools: docker-registry, skopeo and prometheus (installed from Debian when missing)"
"$root_dir/.ci/install-packages.sh" docker-registry skopeo prometheus curl ss
for tool in java curl ss docker-registry skopeo prometheus; do
	command -v "$tool" >/dev/null || fail "$tool is not installed"
done
say "$(docker-registry --version 2>&1 | head -n 1)"
say "skopeo $(skopeo --version | awk '{print $3}'), prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}'), java $(java -version 2>&1 | awk -F'"' 'NR==1{print $2}')"

jar="$demo_dir/target/oci-token-cache-sample-registry-demo-0.1.0-SNAPSHOT.jar"
if $build; then
	step "2. Building the sample (./mvnw -q -B -ntp -pl samples/registry-demo -am package -DskipTests)"
	(cd "$root_dir" && ./mvnw -q -B -ntp -pl samples/registry-demo -am package -DskipTests)
else
	step "2. Using the jar built before (--no-build)"
fi
[ -f "$jar" ] || fail "$jar is missing; run without --no-build"
say "$(basename "$jar")"

free_port auth_port
free_port registry_port
free_port registry_debug_port
free_port cached_port
free_port uncached_port
free_port prometheus_port
registry="127.0.0.1:$registry_port"
user=demo
# A throw-away password for this run (or the one in DEMO_REGISTRY_PASSWORD, which the build's
# check sets to make sure it is never printed), handed to the processes in files and
# environment variables only, never on a command line.
password=${DEMO_REGISTRY_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}

step "3. Starting the local auth service stand-in and a registry with token authentication"
DEMO_REGISTRY_PASSWORD="$password" java -XX:TieredStopAtLevel=1 -cp "$jar" \
	-Dloader.main=io.github.ocitokencache.sample.registrydemo.LocalAuthServiceStandIn \
	org.springframework.boot.loader.launch.PropertiesLauncher \
	--port="$auth_port" --certificate="$work/token-signing.crt" --username="$user" \
	--token-lifetime-secs="$token_lifetime" >"$work/auth-stand-in.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$auth_port/stats" 200 "${pids[-1]}" "The auth service stand-in"
say "Auth service stand-in: http://127.0.0.1:$auth_port/token (RS256 JWTs, valid ${token_lifetime}s; user '$user' may push, anonymous callers may pull)"

cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry-storage
  delete:
    enabled: true
http:
  addr: $registry
  secret: registry-demo-upload-state-secret
  debug:
    addr: 127.0.0.1:$registry_debug_port
    prometheus:
      enabled: true
      path: /metrics
auth:
  token:
    realm: http://127.0.0.1:$auth_port/token
    service: registry-demo
    issuer: local-auth-service-stand-in
    rootcertbundle: $work/token-signing.crt
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
pids+=($!)
wait_for "http://$registry/v2/" 401 "${pids[-1]}" "The registry"
say "Registry: http://$registry (CNCF Distribution; its request counters on http://127.0.0.1:$registry_debug_port/metrics)"

# Round trips the registry served so far: the sum of registry_http_requests_total.
registry_requests() {
	curl -s "http://127.0.0.1:$registry_debug_port/metrics" \
		| awk '/^registry_http_requests_total[{ ]/ { sum += $NF } END { printf "%d\n", sum }'
}
# Requests the token endpoint received so far.
token_requests() {
	curl -s "http://127.0.0.1:$auth_port/stats" | sed -E 's/.*"tokenRequests":([0-9]+).*/\1/'
}

step "4. Seeding images with skopeo (hand-made OCI layouts, no Docker needed)"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$registry" "$(printf '%s:%s' "$user" "$password" | base64 -w0)" \
	>"$work/skopeo-auth.json"
chmod 600 "$work/skopeo-auth.json"
# Writes an OCI image layout with one layer holding one file, tagged $2, into directory $1.
make_layout() {
	local dir=$1 tag=$2 text=$3 src="$work/layer-src"
	rm -rf "$src" && mkdir -p "$src" "$dir/blobs/sha256"
	printf '%s\n' "$text" >"$src/hello.txt"
	tar --sort=name --mtime='2020-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner -C "$src" -cf "$work/layer.tar" hello.txt
	gzip -n -9 -c "$work/layer.tar" >"$work/layer.tar.gz"
	local diff_id layer layer_size config config_size manifest manifest_size
	diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
	layer=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)
	layer_size=$(stat -c %s "$work/layer.tar.gz")
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/true"]},"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"2020-01-01T00:00:00Z","created_by":"registry-demo"}]}' \
		"$diff_id" >"$work/config.json"
	config=$(sha256sum "$work/config.json" | cut -d' ' -f1)
	config_size=$(stat -c %s "$work/config.json")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
		"$config" "$config_size" "$layer" "$layer_size" >"$work/manifest.json"
	manifest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
	manifest_size=$(stat -c %s "$work/manifest.json")
	cp "$work/layer.tar.gz" "$dir/blobs/sha256/$layer"
	cp "$work/config.json" "$dir/blobs/sha256/$config"
	cp "$work/manifest.json" "$dir/blobs/sha256/$manifest"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
		"$manifest" "$manifest_size" "$tag" >"$dir/index.json"
}
seeded=(demo/hello:1.0 demo/hello:1.1 demo/tools:2.0 team/notes:v1)
for image in "${seeded[@]}"; do
	repository=${image%%:*}
	tag=${image##*:}
	make_layout "$work/layout-${repository//\//-}-$tag" "$tag" "hello from $image"
	skopeo copy -q --dest-tls-verify=false --authfile "$work/skopeo-auth.json" \
		"oci:$work/layout-${repository//\//-}-$tag:$tag" "docker://$registry/$image"
	say "pushed $registry/$image"
done

step "5. Starting the sample twice: with the token cache, and with demo.cache=false"
# The registry's credentials go to the sample in a file only this user can read. The key is
# the registry host with its port, in brackets because it holds dots and a colon (escaped
# for the .properties format).
cat >"$work/registry-credentials.properties" <<EOF
oci.token-cache.registries[${registry//:/\\:}].username=$user
oci.token-cache.registries[${registry//:/\\:}].password=$password
EOF
chmod 600 "$work/registry-credentials.properties"
start_sample() {
	local name=$1 port=$2 cache=$3
	java -XX:TieredStopAtLevel=1 -jar "$jar" --server.address=127.0.0.1 --server.port="$port" \
		--demo.cache="$cache" --spring.config.additional-location="file:$work/registry-credentials.properties" \
		>"$work/sample-$name.log" 2>&1 &
	pids+=($!)
}
start_sample cached "$cached_port" true
cached_pid=${pids[-1]}
start_sample uncached "$uncached_port" false
uncached_pid=${pids[-1]}
wait_for "http://127.0.0.1:$cached_port/actuator/health" 200 "$cached_pid" "The sample (cache on)"
wait_for "http://127.0.0.1:$uncached_port/actuator/health" 200 "$uncached_pid" "The sample (cache off)"
say "with the cache:    http://127.0.0.1:$cached_port   (credentials for $registry: user '$user')"
say "cache disabled:    http://127.0.0.1:$uncached_port   (demo.cache=false: a fresh, empty cache per request)"

# One request to a sample; prints what it got, and appends the answer to a transcript.
call() {
	local port=$1 method=$2 path=$3 transcript=$4 quiet=$5 body status
	body=$(curl -s -X "$method" -w '\n%{http_code}' "http://127.0.0.1:$port$path")
	status=${body##*$'\n'}
	body=${body%$'\n'*}
	printf '%s %s -> %s %s\n' "$method" "$path" "$status" "$body" >>"$transcript"
	$quiet || printf '   %-4s %-58s -> %s %s\n' "$method" "$path" "$status" "$body"
}

# The same series of requests, for either sample.
series() {
	local port=$1 transcript=$2 quiet=$3 wait_for_expiry=$4
	: >"$transcript"
	$quiet || say "-- first look at three repositories (each needs a token)"
	call "$port" GET "/images/tags?ref=$registry/demo/hello" "$transcript" "$quiet"
	call "$port" GET "/images/digest?ref=$registry/demo/hello:1.0" "$transcript" "$quiet"
	call "$port" GET "/images/tags?ref=$registry/demo/tools" "$transcript" "$quiet"
	call "$port" GET "/images/digest?ref=$registry/team/notes:v1" "$transcript" "$quiet"
	$quiet || say "-- the same again, $rounds more time(s) (tokens are still good)"
	for _ in $(seq 1 "$rounds"); do
		call "$port" GET "/images/tags?ref=$registry/demo/hello" "$transcript" "$quiet"
		call "$port" GET "/images/digest?ref=$registry/demo/hello:1.1" "$transcript" "$quiet"
		call "$port" GET "/images/digest?ref=$registry/demo/tools:2.0" "$transcript" "$quiet"
		call "$port" GET "/images/tags?ref=$registry/team/notes" "$transcript" "$quiet"
	done
	$quiet || say "-- push, then pull what was pushed (the push token also serves the pulls)"
	call "$port" POST "/images/push?ref=$registry/demo/pushed:1" "$transcript" "$quiet"
	call "$port" GET "/images/tags?ref=$registry/demo/pushed" "$transcript" "$quiet"
	call "$port" GET "/images/digest?ref=$registry/demo/pushed:1" "$transcript" "$quiet"
	$quiet || say "-- a reference that does not parse is a 400 with the reason"
	call "$port" GET "/images/tags?ref=$registry/Demo/Hello" "$transcript" "$quiet"
	if $wait_for_expiry; then
		$quiet || say "-- waiting $((hand_out_secs + 1))s: tokens live ${token_lifetime}s and are handed out for the first half"
		sleep $((hand_out_secs + 1))
	fi
	$quiet || say "-- the first repositories again (their tokens have expired)"
	call "$port" GET "/images/tags?ref=$registry/demo/hello" "$transcript" "$quiet"
	call "$port" GET "/images/digest?ref=$registry/demo/tools:2.0" "$transcript" "$quiet"
}

step "6. Requests to the sample with the cache (what each got)"
registry_before=$(registry_requests)
tokens_before=$(token_requests)
series "$cached_port" "$work/cached.txt" false true
cached_round_trips=$(($(registry_requests) - registry_before))
cached_tokens=$(($(token_requests) - tokens_before))
cached_calls=$(wc -l <"$work/cached.txt")

step "7. The same $cached_calls requests to the sample with the cache disabled"
registry_before=$(registry_requests)
tokens_before=$(token_requests)
# Without a cache, time makes no difference, so the wait for expiry is left out.
series "$uncached_port" "$work/uncached.txt" true false
uncached_round_trips=$(($(registry_requests) - registry_before))
uncached_tokens=$(($(token_requests) - tokens_before))
if diff -q <(sed -E 's/"digest":"[^"]*"//' "$work/cached.txt") <(sed -E 's/"digest":"[^"]*"//' "$work/uncached.txt") >/dev/null; then
	say "Every answer was the same as with the cache."
else
	say "Answers that differed from the run with the cache:"
	diff "$work/cached.txt" "$work/uncached.txt" | sed 's/^/   /' || true
fi

# A counter of the sample with the cache, summed over its operations.
counter() {
	curl -s "http://127.0.0.1:$cached_port/actuator/prometheus" \
		| awk -v name="$1" -v filter="$2" '(index($0, name "{") == 1 || index($0, name " ") == 1) && index($0, filter) > 0 { sum += $NF } END { printf "%d\n", sum }'
}
hits=$(counter oci_token_cache_gets_total 'result="hit"')
misses=$(counter oci_token_cache_gets_total 'result="miss"')
expired=$(counter oci_token_cache_gets_total 'result="expired"')
puts=$(counter oci_token_cache_puts_total '')
size=$(counter oci_token_cache_size '')

step "8. Side by side: $cached_calls requests to the sample"
printf '   %-34s %14s %16s\n' "" "with the cache" "cache disabled"
printf '   %-34s %14s %16s\n' "registry round trips" "$cached_round_trips" "$uncached_round_trips"
printf '   %-34s %14s %16s\n' "token requests (auth service)" "$cached_tokens" "$uncached_tokens"
printf '   %-34s %14s %16s\n' "token cache hits" "$hits" "-"
printf '   %-34s %14s %16s\n' "token cache misses" "$misses" "-"
printf '   %-34s %14s %16s\n' "token cache expired" "$expired" "-"
say
say "Round trips: every request the registry served, 401 challenges included"
say "(sum of registry_http_requests_total on its metrics listener). Token requests: requests to"
say "the auth service's /token (its /stats). Hit/miss/expired: oci_token_cache_gets_total from the"
say "cached sample's /actuator/prometheus; it also stored $puts tokens and holds $size entries now."
say "With demo.cache=false each request gets an interceptor over a fresh, empty cache: a token"
say "lives only as long as one request, so every request pays a 401 and a token request, and no"
say "application-wide counters exist to show ('-')."

step "9. A real Prometheus scraping the sample with the cache"
cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: registry-demo
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ['127.0.0.1:$cached_port']
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
	--web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$prometheus_port/-/ready" 200 "${pids[-1]}" "Prometheus"
query='sum(oci_token_cache_gets_total{result="hit"})'
say "Prometheus on http://127.0.0.1:$prometheus_port scrapes http://127.0.0.1:$cached_port/actuator/prometheus every second"
say "query: $query"
deadline=$((SECONDS + 30))
value=""
while [ $SECONDS -lt $deadline ]; do
	answer=$(curl -s -G "http://127.0.0.1:$prometheus_port/api/v1/query" --data-urlencode "query=$query")
	value=$(printf '%s' "$answer" | sed -nE 's/.*"value":\[[0-9.]+,"([^"]+)"\].*/\1/p')
	[ "$value" = "$hits" ] && break
	sleep 0.5
done
[ -n "$value" ] || fail "Prometheus returned no value for $query: $answer"
say "result: $value (the sample's own count: $hits)"

step "Done"
say "Logs and data were in $work; everything is being stopped now."
