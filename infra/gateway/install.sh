#!/usr/bin/env bash
# Installs the Ringfence gateway as a systemd service from a checkout of the repository.
# Usage: sudo infra/gateway/install.sh [--config FILE] [--token-file FILE]
# It creates the ringfence user, copies the workspace to /opt/ringfence, installs production
# dependencies, places the configuration and the one-time registration token, and enables the
# unit. It downloads nothing but npm packages through pnpm, and starts nothing until the
# configuration exists.
set -euo pipefail

config=""
token=""
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    --token-file) token="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh must run as root" >&2
  exit 1
fi
command -v node >/dev/null || { echo "Node.js 20 or later is required" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || { echo "Node.js 20 or later is required" >&2; exit 1; }

here="$(cd "$(dirname "$0")/../.." && pwd)"
id ringfence >/dev/null 2>&1 || useradd --system --home /opt/ringfence --shell /usr/sbin/nologin ringfence

install -d -o root -g root -m 0755 /opt/ringfence
cp -a "$here/." /opt/ringfence/
(cd /opt/ringfence && corepack pnpm install --frozen-lockfile --prod --filter @ringfence/cli...)

install -d -o root -g ringfence -m 0750 /etc/ringfence
if [ -n "$config" ]; then
  install -o root -g ringfence -m 0640 "$config" /etc/ringfence/gateway.json
fi
if [ -n "$token" ]; then
  install -o root -g ringfence -m 0640 "$token" /etc/ringfence/registration-token
fi

install -o root -g root -m 0644 "$here/infra/gateway/ringfence-gateway.service" \
  /etc/systemd/system/ringfence-gateway.service
systemctl daemon-reload
systemctl enable ringfence-gateway.service

if [ -f /etc/ringfence/gateway.json ]; then
  systemctl restart ringfence-gateway.service
  echo "ringfence-gateway started; health: curl -s http://127.0.0.1:9464/readyz"
else
  echo "place the configuration in /etc/ringfence/gateway.json, then: systemctl start ringfence-gateway"
fi
