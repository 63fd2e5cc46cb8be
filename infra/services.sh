#!/usr/bin/env bash
# Starts and stops what the durable profile needs, on 127.0.0.1, in a folder of its own:
# Azurite (Azure Storage tables; npm, pinned) and RabbitMQ (Debian's package). Installs them when
# missing. Source it, then call: services_install; services_start DIR; services_stop DIR.
# After services_start, MAINTENANCEPORTAL_STORAGE and MAINTENANCEPORTAL_RABBITMQ hold the
# connection strings and MAINTENANCEPORTAL_SERVICES_DIR the folder, for
# services_rabbitmqctl DIR stop_app|start_app (the failure tests take the broker away and back).

AZURITE_VERSION=3.37.0
services_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
azurite_bin="$services_root/.tools/node_modules/.bin/azurite"

services_install() {
  if [ ! -x "$azurite_bin" ] || [ "$("$azurite_bin" --version 2>/dev/null)" != "$AZURITE_VERSION" ]; then
    echo "== installing azurite $AZURITE_VERSION (npm)"
    npm install --prefix "$services_root/.tools" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null || return 1
  fi
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "== installing rabbitmq-server (apt)"
    { [ "${apt_updated:-0}" = 1 ] || apt-get update -qq; } && apt_updated=1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null || return 1
  fi
}

# RabbitMQ's settings, the same for starting, checking and stopping it.
services_rabbitmq_env() {
  export RABBITMQ_NODENAME=maintenanceportal@localhost
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 RABBITMQ_DIST_PORT=25672
  export RABBITMQ_MNESIA_BASE="$1/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$1/rabbitmq/log"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

services_start() {
  local dir=$1
  mkdir -p "$dir/azurite" "$dir/rabbitmq"
  "$azurite_bin" --silent --location "$dir/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --skipApiVersionCheck --loose > "$dir/azurite.log" 2>&1 &
  echo $! > "$dir/azurite.pid"

  services_rabbitmq_env "$dir"
  # Debian's scripts run RabbitMQ as the rabbitmq user when started by root.
  [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1 && chown -R rabbitmq:rabbitmq "$dir/rabbitmq"
  rabbitmq-server > "$dir/rabbitmq.log" 2>&1 &
  echo $! > "$dir/rabbitmq.pid"

  local waited=0
  until (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; do
    sleep 0.5; waited=$((waited + 1))
    [ $waited -gt 60 ] && { echo "azurite did not start:"; cat "$dir/azurite.log"; return 1; }
  done
  waited=0
  until rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$dir/rabbitmq.pid")" 2>/dev/null || [ $waited -gt 90 ]; then
      echo "rabbitmq did not start:"; tail -n 40 "$dir/rabbitmq.log"; return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  export MAINTENANCEPORTAL_STORAGE="UseDevelopmentStorage=true"
  export MAINTENANCEPORTAL_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/"
  export MAINTENANCEPORTAL_SERVICES_DIR="$dir"
}

# rabbitmqctl against the broker services_start started in DIR.
services_rabbitmqctl() {
  local dir=$1
  shift
  (services_rabbitmq_env "$dir" && rabbitmqctl "$@")
}

services_stop() {
  local dir=$1
  if [ -f "$dir/rabbitmq.pid" ]; then
    services_rabbitmq_env "$dir"
    rabbitmqctl stop >/dev/null 2>&1 || kill "$(cat "$dir/rabbitmq.pid")" 2>/dev/null
    epmd -kill >/dev/null 2>&1
    rm -f "$dir/rabbitmq.pid"
  fi
  if [ -f "$dir/azurite.pid" ]; then
    local pid
    pid=$(cat "$dir/azurite.pid")
    kill -INT "$pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null
    rm -f "$dir/azurite.pid"
  fi
}
