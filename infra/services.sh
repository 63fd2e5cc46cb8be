#!/usr/bin/env bash
# Starts and stops what the durable profile needs, on 127.0.0.1, in a folder of its own:
# Azurite (Azure Storage tables; npm, pinned), RabbitMQ (Debian's package), a local OpenID
# provider (infra/oidc/provider.mjs on oidc-provider from npm, pinned) and a local SMTP server
# (maildev from npm, pinned: SMTP, and an HTTP API to read what arrived). Installs them when missing. Source it, then call: services_install; services_start DIR; services_stop DIR.
# Each start takes free ports (and a RabbitMQ node name of its own), so several can run on one
# machine; they are kept in DIR/services.env. After services_start, MAINTENANCEPORTAL_STORAGE and
# MAINTENANCEPORTAL_RABBITMQ hold the connection strings, MAINTENANCEPORTAL_OIDC_AUTHORITY and
# MAINTENANCEPORTAL_OIDC_CLIENT_SECRET the provider's address and the portal's client secret,
# MAINTENANCEPORTAL_SMTP (host:port) and MAINTENANCEPORTAL_MAILDEV (its HTTP API), and MAINTENANCEPORTAL_SERVICES_DIR the
# folder, for services_rabbitmqctl DIR stop_app|start_app (the failure tests take the broker away
# and back). services_stop stops whatever of it runs, whatever failed before, and may be called
# again; it never fails, even under the caller's set -e.

AZURITE_VERSION=3.37.0
OIDC_PROVIDER_VERSION=9.13.3
MAILDEV_VERSION=3.0.0
services_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
azurite_bin="$services_root/.tools/node_modules/.bin/azurite"
oidc_dir="$services_root/.tools/oidc"
maildev_dir="$services_root/.tools/maildev"
# Azurite's well-known development account (public, the same in every Azurite).
AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

services_install() {
  if [ ! -x "$azurite_bin" ] || [ "$("$azurite_bin" --version 2>/dev/null)" != "$AZURITE_VERSION" ]; then
    echo "== installing azurite $AZURITE_VERSION (npm)"
    npm install --prefix "$services_root/.tools" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null || return 1
  fi
  if [ "$(node -p "require('$oidc_dir/node_modules/oidc-provider/package.json').version" 2>/dev/null)" != "$OIDC_PROVIDER_VERSION" ]; then
    echo "== installing oidc-provider $OIDC_PROVIDER_VERSION (npm)"
    npm install --prefix "$oidc_dir" --no-audit --no-fund --loglevel=error "oidc-provider@$OIDC_PROVIDER_VERSION" >/dev/null || return 1
  fi
  if [ "$(node -p "require('$maildev_dir/node_modules/maildev/package.json').version" 2>/dev/null)" != "$MAILDEV_VERSION" ]; then
    echo "== installing maildev $MAILDEV_VERSION (npm)"
    npm install --prefix "$maildev_dir" --no-audit --no-fund --loglevel=error "maildev@$MAILDEV_VERSION" >/dev/null || return 1
  fi
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "== installing rabbitmq-server (apt)"
    { [ "${apt_updated:-0}" = 1 ] || apt-get update -qq; } && apt_updated=1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null || return 1
  fi
}

# N distinct ports on 127.0.0.1 that nothing listens on now, on one line; below Linux's ephemeral
# range (32768 and up), so no port the system hands out for another connection or listener.
services_free_ports() {
  local ports=() port
  while [ ${#ports[@]} -lt "$1" ]; do
    port=$((20000 + RANDOM % 12000))
    case " ${ports[*]} " in *" $port "*) continue ;; esac
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || ports+=("$port")
  done
  echo "${ports[*]}"
}

# RabbitMQ's settings, the same for starting, checking and stopping it (from DIR/services.env).
services_rabbitmq_env() {
  # shellcheck source=/dev/null
  source "$1/services.env"
  export RABBITMQ_NODENAME="$SERVICES_RABBITMQ_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$SERVICES_RABBITMQ_PORT" RABBITMQ_DIST_PORT="$SERVICES_RABBITMQ_DIST_PORT"
  export RABBITMQ_MNESIA_BASE="$1/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$1/rabbitmq/log"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

services_start() {
  local dir=$1
  mkdir -p "$dir/azurite" "$dir/rabbitmq" "$dir/maildev"
  # Ports chosen once per folder: a folder started again (./infra/run-durable.sh) keeps its addresses.
  if [ ! -f "$dir/services.env" ]; then
    local blob queue table amqp dist
    read -r blob queue table amqp dist <<< "$(services_free_ports 5)"
    cat > "$dir/services.env" <<EOF
SERVICES_AZURITE_BLOB_PORT=$blob
SERVICES_AZURITE_QUEUE_PORT=$queue
SERVICES_AZURITE_TABLE_PORT=$table
SERVICES_RABBITMQ_PORT=$amqp
SERVICES_RABBITMQ_DIST_PORT=$dist
SERVICES_RABBITMQ_NODE=maintenanceportal-$table@localhost
EOF
  fi
  if ! grep -q SERVICES_OIDC_PORT "$dir/services.env"; then
    echo "SERVICES_OIDC_PORT=$(services_free_ports 1)" >> "$dir/services.env"
    echo "SERVICES_OIDC_CLIENT_SECRET=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> "$dir/services.env"
  fi
  if ! grep -q SERVICES_SMTP_PORT "$dir/services.env"; then
    local smtp web
    read -r smtp web <<< "$(services_free_ports 2)"
    printf 'SERVICES_SMTP_PORT=%s\nSERVICES_MAILDEV_WEB_PORT=%s\n' "$smtp" "$web" >> "$dir/services.env"
  fi
  # shellcheck source=/dev/null
  source "$dir/services.env"

  # Each in a session of its own: a Ctrl-C meant for the script that started them does not reach
  # them, so the script can stop its silos first, while storage and the broker still answer.
  setsid "$azurite_bin" --silent --location "$dir/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$SERVICES_AZURITE_BLOB_PORT" --queuePort "$SERVICES_AZURITE_QUEUE_PORT" --tablePort "$SERVICES_AZURITE_TABLE_PORT" \
    --skipApiVersionCheck --loose > "$dir/azurite.log" 2>&1 &
  echo $! > "$dir/azurite.pid"
  disown

  (
    services_rabbitmq_env "$dir"
    # Debian's scripts run RabbitMQ as the rabbitmq user when started by root.
    [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1 && chown -R rabbitmq:rabbitmq "$dir/rabbitmq"
    setsid rabbitmq-server > "$dir/rabbitmq.log" 2>&1 &
    echo $! > "$dir/rabbitmq.pid"
    disown
  )

  # The provider's module is resolved from where it is installed, so the script runs from there.
  cp "$services_root/infra/oidc/provider.mjs" "$oidc_dir/provider.mjs"
  setsid node "$oidc_dir/provider.mjs" "$SERVICES_OIDC_PORT" "$SERVICES_OIDC_CLIENT_SECRET" > "$dir/oidc.log" 2>&1 &
  echo $! > "$dir/oidc.pid"
  disown

  # maildev on loopback only; its mail stays in memory and in DIR/maildev, nothing is relayed anywhere.
  setsid "$maildev_dir/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$SERVICES_SMTP_PORT" --web "$SERVICES_MAILDEV_WEB_PORT" \
    --mail-directory "$dir/maildev" > "$dir/maildev.log" 2>&1 &
  echo $! > "$dir/maildev.pid"
  disown

  local waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$SERVICES_MAILDEV_WEB_PORT") 2>/dev/null; do
    sleep 0.2; waited=$((waited + 1))
    if ! kill -0 "$(cat "$dir/maildev.pid")" 2>/dev/null || [ $waited -gt 100 ]; then
      echo "maildev did not start:"; cat "$dir/maildev.log"; return 1
    fi
  done
  waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$SERVICES_OIDC_PORT") 2>/dev/null; do
    sleep 0.2; waited=$((waited + 1))
    if ! kill -0 "$(cat "$dir/oidc.pid")" 2>/dev/null || [ $waited -gt 100 ]; then
      echo "the OpenID provider did not start:"; cat "$dir/oidc.log"; return 1
    fi
  done
  waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$SERVICES_AZURITE_TABLE_PORT") 2>/dev/null; do
    sleep 0.5; waited=$((waited + 1))
    if ! kill -0 "$(cat "$dir/azurite.pid")" 2>/dev/null || [ $waited -gt 60 ]; then
      echo "azurite did not start:"; cat "$dir/azurite.log"; return 1
    fi
  done
  waited=0
  until (services_rabbitmq_env "$dir" && rabbitmq-diagnostics -q check_port_connectivity) >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$dir/rabbitmq.pid")" 2>/dev/null || [ $waited -gt 90 ]; then
      echo "rabbitmq did not start:"; tail -n 40 "$dir/rabbitmq.log"; return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  export MAINTENANCEPORTAL_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;TableEndpoint=http://127.0.0.1:$SERVICES_AZURITE_TABLE_PORT/devstoreaccount1;"
  export MAINTENANCEPORTAL_RABBITMQ="amqp://guest:guest@127.0.0.1:$SERVICES_RABBITMQ_PORT/"
  export MAINTENANCEPORTAL_OIDC_AUTHORITY="http://127.0.0.1:$SERVICES_OIDC_PORT"
  export MAINTENANCEPORTAL_OIDC_CLIENT_SECRET="$SERVICES_OIDC_CLIENT_SECRET"
  export MAINTENANCEPORTAL_SMTP="127.0.0.1:$SERVICES_SMTP_PORT"
  export MAINTENANCEPORTAL_MAILDEV="http://127.0.0.1:$SERVICES_MAILDEV_WEB_PORT"
  export MAINTENANCEPORTAL_SERVICES_DIR="$dir"
}

# rabbitmqctl against the broker services_start started in DIR.
services_rabbitmqctl() {
  local dir=$1
  shift
  (services_rabbitmq_env "$dir" && rabbitmqctl "$@")
}

# PID and every process below it.
services_tree() {
  local all=$1 level=$1
  while [ -n "$level" ]; do
    level=$(ps -o pid= --ppid "${level// /,}" 2>/dev/null | xargs)
    all="$all $level"
  done
  echo "$all"
}

services_stop() {
  (
    set +e
    local dir=$1 pid
    if [ -f "$dir/rabbitmq.pid" ]; then
      pid=$(cat "$dir/rabbitmq.pid")
      if [ -f "$dir/services.env" ]; then
        services_rabbitmqctl "$dir" stop >/dev/null 2>&1
      fi
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      # The Erlang VM runs under Debian's start script, through su (a session of its own), and may
      # still be on its way up: the whole tree below the script is gathered first, then killed at
      # once (a child killed first would leave its own children to start on), twice over.
      for _ in 1 2; do
        # shellcheck disable=SC2046
        kill -0 "$pid" 2>/dev/null && kill -9 $(services_tree "$pid") 2>/dev/null
        pkill -9 -f "$dir/rabbitmq" 2>/dev/null
        sleep 0.5
      done
      # epmd is shared by every Erlang node on the machine; it refuses to stop while another is registered.
      (source "$dir/services.env" 2>/dev/null; ERL_EPMD_ADDRESS=127.0.0.1 epmd -kill >/dev/null 2>&1)
      rm -f "$dir/rabbitmq.pid"
    fi
    for service in oidc maildev; do
      if [ -f "$dir/$service.pid" ]; then
        kill -9 "$(cat "$dir/$service.pid")" 2>/dev/null
        rm -f "$dir/$service.pid"
      fi
    done
    if [ -f "$dir/azurite.pid" ]; then
      pid=$(cat "$dir/azurite.pid")
      kill -INT "$pid" 2>/dev/null
      for _ in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null
      rm -f "$dir/azurite.pid"
    fi
    true
  )
}
