#!/usr/bin/env bash
# The chaos test, longer than ./test.sh runs it: a durable cluster of three silos on real Azurite
# and RabbitMQ (started here on ports of their own, data in .chaos/, removed afterwards), with a
# history (a wave, a hard stop mid-wave, a graceful stop), then ROUNDS waves (default 10), each
# with a random silo killed at a random moment; the broker is stopped once. After every wave it
# checks that everything was moved and announced and that nothing is owed within 2 minutes.
# Usage: ./infra/chaos.sh [ROUNDS] [SEED] [SILOS]. Progress and figures go to artifacts/chaos-<time>.md.
# It stops by itself: 6 minutes a round at most, plus 15.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-10}
seed=${2:-}
silos=${3:-3}
data="$root/.chaos"
rm -rf "$data"
source infra/services.sh
stop() {
  services_stop "$data"
  rm -rf "$data"
}
trap stop EXIT

services_install
services_start "$data"
dotnet build tests/MaintenancePortal.IntegrationTests -c Release -nologo -clp:ErrorsOnly
mkdir -p artifacts
report="$root/artifacts/chaos-$(date -u +%Y%m%d-%H%M%S).md"
echo "== $rounds rounds; progress in $report"
status=0
CHAOS_ROUNDS=$rounds CHAOS_SEED=$seed CHAOS_SILOS=$silos CHAOS_REPORT=$report \
  timeout $((rounds * 6 + 15))m dotnet test tests/MaintenancePortal.IntegrationTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~MaintenancePortal.IntegrationTests.Chaos.ChaosTests" --logger "console;verbosity=minimal" || status=$?
cat "$report"
exit $status
