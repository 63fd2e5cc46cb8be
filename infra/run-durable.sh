#!/usr/bin/env bash
# Runs the durable profile on this machine without Docker: Azurite, RabbitMQ and the local OpenID
# provider on 127.0.0.1 (installed when missing, on ports of their own), then two silos of one
# cluster, serving the portal on http://127.0.0.1:5080 and http://127.0.0.1:5081, signing people in
# with the provider (log in as operator, tenant-contoso, tenant-fabrikam...; any password). State is
# kept in .durable/ between runs.
# Ctrl-C (or SIGTERM) stops the silos first, gracefully, while storage and the broker still run
# (each leaves the cluster and hands its grains over), then the services.
# RUN_DURABLE_DATA (.durable), RUN_DURABLE_PORT (5080), RUN_DURABLE_SILO_PORT (11111) and
# RUN_DURABLE_GATEWAY_PORT (30000) move it; RUN_DURABLE_BUILD=0 uses the server as built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${RUN_DURABLE_DATA:-"$root/.durable"}
http_port=${RUN_DURABLE_PORT:-5080}
silo_port=${RUN_DURABLE_SILO_PORT:-11111}
gateway_port=${RUN_DURABLE_GATEWAY_PORT:-30000}
mkdir -p "$data"
source infra/services.sh

pids=()
stop() {
  trap - EXIT INT TERM
  echo "== stopping the silos"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 60); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  echo "== stopping Azurite, RabbitMQ and the OpenID provider"
  services_stop "$data"
  exit 0
}
trap stop EXIT INT TERM

services_install
services_start "$data"
[ "${RUN_DURABLE_BUILD:-1}" = 0 ] || dotnet build src/MaintenancePortal.Server -c Release -nologo -clp:ErrorsOnly

for i in 0 1; do
  # A session of its own: the terminal's Ctrl-C reaches this script, which stops the silo in order.
  (
    cd src/MaintenancePortal.Server
    # env, not shell assignments: some names hold a '-' (the provider's tenant claim values).
    exec env ASPNETCORE_ENVIRONMENT=Development \
      MaintenancePortal__Profile=Durable \
      ConnectionStrings__Storage="$MAINTENANCEPORTAL_STORAGE" \
      ConnectionStrings__RabbitMq="$MAINTENANCEPORTAL_RABBITMQ" \
      Authentication__OpenIdConnect__Authority="$MAINTENANCEPORTAL_OIDC_AUTHORITY" \
      Authentication__OpenIdConnect__ClientId=maintenance-portal \
      Authentication__OpenIdConnect__ClientSecret="$MAINTENANCEPORTAL_OIDC_CLIENT_SECRET" \
      Authentication__OpenIdConnect__Scopes__0=openid Authentication__OpenIdConnect__Scopes__1=profile \
      Authentication__OpenIdConnect__Scopes__2=portal \
      Authentication__OpenIdConnect__OperatorValues__0=portal-operator \
      Authentication__OpenIdConnect__Tenants__contoso-corp=contoso Authentication__OpenIdConnect__Tenants__fabrikam-corp=fabrikam \
      Authentication__OpenIdConnect__Tenants__northwind-corp=northwind Authentication__OpenIdConnect__Tenants__tailspin-corp=tailspin \
      Orleans__SiloPort=$((silo_port + i)) Orleans__GatewayPort=$((gateway_port + i)) \
      Orleans__Membership__NumVotesForDeathDeclaration=1 \
      setsid dotnet bin/Release/net10.0/MaintenancePortal.Server.dll --urls "http://127.0.0.1:$((http_port + i))"
  ) > "$data/silo-$i.log" 2>&1 &
  pids+=($!)
  echo "silo $i: http://127.0.0.1:$((http_port + i)) (log: $data/silo-$i.log)"
done
echo "storage: $MAINTENANCEPORTAL_STORAGE"
echo "broker: $MAINTENANCEPORTAL_RABBITMQ"
echo "sign-in: $MAINTENANCEPORTAL_OIDC_AUTHORITY (operator, tenant-contoso, tenant-fabrikam, tenant-northwind, tenant-tailspin, nobody; any password)"
echo "what is owed: ConnectionStrings__Storage='$MAINTENANCEPORTAL_STORAGE' dotnet run --project src/MaintenancePortal.OwedWork"
wait
