#!/usr/bin/env bash
# Installs what the tests need, starts it on 127.0.0.1, runs every test project, stops what it
# started, and prints "N passed, N failed" last, counted from the test results themselves.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
run="$root/.test-run"
rm -rf "$run"
mkdir -p "$run/results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=Release
started=$(date +%s)

say() { printf '== %s\n' "$*"; }

source infra/services.sh
cleanup() {
  services_stop "$run/services"
}
trap cleanup EXIT

apt_updated=0
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt)"
  if [ $apt_updated = 0 ]; then
    apt-get update -qq || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

finish() {
  local passed=$1 failed=$2
  say "took $(( $(date +%s) - started )) s"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

# Debian's Chromium for the browser tests (Playwright downloads nothing) and docker-compose to
# validate the compose file (it needs no Docker engine for that).
if ! apt_install chromium docker-compose; then
  say "could not install the packages the tests need"
  finish 0 1
fi
export CHROMIUM_PATH=/usr/bin/chromium

# Azurite, RabbitMQ, the local OpenID provider and maildev (SMTP) for the integration and browser tests, on 127.0.0.1.
if ! services_install || ! services_start "$run/services"; then
  say "could not start Azurite, RabbitMQ, the OpenID provider and maildev"
  finish 0 1
fi
say "Azurite, RabbitMQ, the OpenID provider and maildev are up (MAINTENANCEPORTAL_STORAGE, MAINTENANCEPORTAL_RABBITMQ, MAINTENANCEPORTAL_OIDC_AUTHORITY, MAINTENANCEPORTAL_SMTP, MAINTENANCEPORTAL_MAILDEV)"

# The AWS SDK's own IMDS client (npm, pinned), which the metadata service is tested with, beside its script.
AWS_IMDS_CLIENT_VERSION=3.1161.0
imds_client="$root/.tools/imds-client"
if [ "$(node -p "require('$imds_client/node_modules/@aws-sdk/ec2-metadata-service/package.json').version" 2>/dev/null)" != "$AWS_IMDS_CLIENT_VERSION" ]; then
  say "installing @aws-sdk/ec2-metadata-service $AWS_IMDS_CLIENT_VERSION (npm)"
  if ! npm install --prefix "$imds_client" --no-audit --no-fund --loglevel=error "@aws-sdk/ec2-metadata-service@$AWS_IMDS_CLIENT_VERSION" >/dev/null; then
    say "could not install the AWS SDK's IMDS client"
    finish 0 1
  fi
fi
cp infra/imds/aws-client.mjs "$imds_client/aws-client.mjs"
export MAINTENANCEPORTAL_AWS_IMDS_CLIENT="$imds_client/aws-client.mjs"

say "building ($configuration)"
if ! dotnet build MaintenancePortal.sln -c "$configuration" -nologo -clp:ErrorsOnly > "$run/build.log" 2>&1; then
  cat "$run/build.log"
  say "the build failed"
  finish 0 1
fi

passed=0
failed=0
# A test that hangs is stopped after this long (with its name in the log), a project after the other.
hang_timeout=15m
project_timeout=45m
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  grep -q '<IsTestProject>false</IsTestProject>' "$project" && continue
  say "testing $name"
  timeout "$project_timeout" dotnet test "$project" -c "$configuration" --no-build -nologo \
    --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none \
    --logger "trx;LogFileName=$name.trx" --results-directory "$run/results" > "$run/$name.log" 2>&1
  code=$?
  trx="$run/results/$name.trx"
  counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -n 1)
  count() { local value; value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<< "$counters"); echo "${value:-0}"; }
  total=$(count total)
  p=$(count passed)
  # Whatever did not pass counts against the run: failed, errors, timeouts, aborted, skipped (not executed)...
  f=0
  for outcome in failed error timeout aborted inconclusive notRunnable notExecuted disconnected; do
    f=$((f + $(count "$outcome")))
  done
  if [ -z "$counters" ] || [ "$total" -eq 0 ]; then
    # No results, or no test found: the project did not run, which counts as a failure.
    grep -vE '^\s*(info|dbug|trce):' "$run/$name.log" | tail -n 80
    say "$name ran no test (exit $code)"
    failed=$((failed + 1))
    continue
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -gt 0 ] || [ $code -ne 0 ]; then
    grep -vE '^\s*(info|dbug|trce):' "$run/$name.log" | tail -n 80
    [ "$f" -eq 0 ] && failed=$((failed + 1)) # it exited badly (a hang stopped, a crash) with nothing counted
  fi
  say "$name: $p passed, $f did not pass (of $total)"
done

finish "$passed" "$failed"
