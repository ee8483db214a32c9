#!/usr/bin/env bash
# Builds the Docker image and smoke-tests it: /healthz, a diagnosis, its permalink across a restart, the numeric
# non-root user, a start without warnings. Needs a container engine (docker, or podman; CONTAINER_ENGINE picks one)
# that can reach the base images (mcr.microsoft.com/dotnet/sdk:10.0 and aspnet:10.0). Where it cannot run, it says
# why and exits 0: CI has no engine and no registry, so .ci/run does not call it.
#   .ci/image-check.sh            # builds matrixtester:check, runs the checks, removes the container and volume
#   CONTAINER_NETWORK=host .ci/image-check.sh   # where the engine has no working bridge network (nested
#                                 # containers): builds and runs on the host's network, the site on a free port
set -uo pipefail
cd "$(dirname "$0")/.."

image=matrixtester:check
bases=(mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/aspnet:10.0)

cannot() { echo "image-check: cannot check the image here: $*"; exit 0; }
fail() { echo "image-check: FAILED: $*" >&2; [ -n "${container:-}" ] && "$engine" logs "$container" 2>&1 | tail -n 40 >&2; exit 1; }
ok() { echo "image-check: ok: $*"; }

engine=${CONTAINER_ENGINE:-}
if [ -z "$engine" ]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1; then engine=$candidate; break; fi
  done
fi
[ -n "$engine" ] || cannot "no container engine client (docker or podman) is installed."
if ! info=$("$engine" info 2>&1); then
  cannot "$engine is installed, but no container engine answers ($(grep -m1 -i 'cannot\|error' <<<"$info" || echo "$engine info failed"))."
fi
for base in "${bases[@]}"; do
  if ! "$engine" image inspect "$base" >/dev/null 2>&1 && ! timeout 300 "$engine" pull -q "$base" >/dev/null 2>&1; then
    cannot "the base image $base is neither present nor pullable (no registry access?)."
  fi
done

build_args=(); run_args=(-p 127.0.0.1::8080)
if [ "${CONTAINER_NETWORK:-}" = host ]; then
  host_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  build_args=(--network host); run_args=(--network host -e "ASPNETCORE_HTTP_PORTS=$host_port")
fi

"$engine" build "${build_args[@]}" -t "$image" . || fail "$engine build failed"
size=$("$engine" image inspect --format '{{.Size}}' "$image")
ok "built $image, $((size / 1000000)) MB"

user=$("$engine" image inspect --format '{{.Config.User}}' "$image")
[[ "$user" =~ ^[0-9]+$ ]] || fail "the image's USER is '$user', not a number (Kubernetes runAsNonRoot needs one)"
ok "USER $user (numeric)"

volume=matrixtester-check-$$
container=matrixtester-check-$$
cleanup() { "$engine" rm -f "$container" >/dev/null 2>&1; "$engine" volume rm "$volume" >/dev/null 2>&1; }
trap cleanup EXIT
"$engine" run -d --name "$container" "${run_args[@]}" -v "$volume:/data" "$image" >/dev/null || fail "the container did not start"
port=${host_port:-$("$engine" port "$container" 8080/tcp | head -n 1 | sed 's/.*://')}
base="http://127.0.0.1:$port"

wait_healthy() {
  for _ in $(seq 1 120); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "/healthz did not answer 200 within 60 s"
}
wait_healthy
ok "/healthz answers 200"

[ "$("$engine" exec "$container" id -u)" = "$user" ] || fail "the site does not run as uid $user"
ok "the site runs as uid $user"

# An IP literal on loopback: refused by the private-address guard, so the diagnosis finishes offline, and is stored.
headers=$(curl -fsS -D - -o /dev/null "$base/api/v2/report?server_name=127.0.0.1") || fail "/api/v2/report failed"
id=$(sed -n 's/^[Xx]-[Rr]esult-[Ii]d: *\([A-Za-z0-9_-]*\).*/\1/p' <<<"$headers" | tr -d '\r')
[ -n "$id" ] || fail "the diagnosis returned no X-Result-Id"
ok "a diagnosis was stored as $id"
before=$(curl -fsS "$base/api/v2/results/$id") || fail "/api/v2/results/$id failed before the restart"

"$engine" restart "$container" >/dev/null || fail "restart failed"
wait_healthy
after=$(curl -fsS "$base/api/v2/results/$id") || fail "/api/v2/results/$id failed after the restart"
[ "$before" = "$after" ] || fail "the stored result changed across the restart"
ok "the permalink opens unchanged after a restart"

warnings=$("$engine" logs "$container" 2>&1 | grep -E ' (WRN|ERR|FTL)\] ' || true)
[ -z "$warnings" ] || fail "the log has warnings: $warnings"
ok "two starts, no warnings in the log"

echo "image-check: all checks passed ($image, $((size / 1000000)) MB)"
