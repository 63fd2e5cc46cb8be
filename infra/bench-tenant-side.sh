#!/usr/bin/env bash
# Measures the tenant's side at scale in both profiles (tests/MaintenancePortal.Benchmarks.TenantSide):
# first embedded, then durable against Azurite, RabbitMQ and the local OpenID provider started on
# 127.0.0.1 (installed when missing, data in .bench-tenant-side/, removed afterwards). Arguments go to
# both runs (--instances N, --moves N, --seconds N). It stops by itself (each run has 30 minutes at most).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="$root/.bench-tenant-side"
rm -rf "$data"
source infra/services.sh
stop() {
  services_stop "$data"
  rm -rf "$data"
  echo "== stopped the services; $data removed"
}
trap stop EXIT

dotnet build tests/MaintenancePortal.Benchmarks.TenantSide -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project tests/MaintenancePortal.Benchmarks.TenantSide -- "$@"
services_install
services_start "$data"
# services_start exported the connection strings and the provider's address the durable run reads.
dotnet run -c Release --no-build --project tests/MaintenancePortal.Benchmarks.TenantSide -- --durable "$@"
