#!/usr/bin/env bash
# Measures e-mail notices (tests/MaintenancePortal.Benchmarks.Notices) against maildev started on
# 127.0.0.1 (installed when missing, with the other local services; data in .bench-notices/, removed
# afterwards). Arguments go to the benchmark (--notices N). It stops by itself (20 minutes at most).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="$root/.bench-notices"
rm -rf "$data"
source infra/services.sh
stop() {
  services_stop "$data"
  rm -rf "$data"
  echo "== stopped the services; $data removed"
}
trap stop EXIT

dotnet build tests/MaintenancePortal.Benchmarks.Notices -c Release -nologo -clp:ErrorsOnly
services_install
services_start "$data"
dotnet run -c Release --no-build --project tests/MaintenancePortal.Benchmarks.Notices -- "$@"
