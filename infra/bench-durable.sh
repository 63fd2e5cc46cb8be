#!/usr/bin/env bash
# Measures the durable profile's throughput on this machine: starts Azurite and RabbitMQ on
# 127.0.0.1 (installed when missing, data in .bench/, removed afterwards), runs
# tests/MaintenancePortal.Benchmarks.Durable and then the webhook benchmark
# (tests/MaintenancePortal.Benchmarks.Webhooks --durable) against them, and stops them. Arguments
# go to the first benchmark (--events N, --hosts-per-tenant N). It stops by itself (20 minutes at most).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="$root/.bench"
rm -rf "$data"
source infra/services.sh
stop() {
  services_stop "$data"
  rm -rf "$data"
  echo "== stopped Azurite and RabbitMQ; $data removed"
}
trap stop EXIT

services_install
services_start "$data"
dotnet build tests/MaintenancePortal.Benchmarks.Durable -c Release -nologo -clp:ErrorsOnly
dotnet build tests/MaintenancePortal.Benchmarks.Webhooks -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project tests/MaintenancePortal.Benchmarks.Durable -- "$@"
# services_start exported the connection strings it reads.
dotnet run -c Release --no-build --project tests/MaintenancePortal.Benchmarks.Webhooks -- --durable --events 5000 --rate 500
