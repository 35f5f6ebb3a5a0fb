#!/usr/bin/env bash
# Installs what is missing on a Debian/Ubuntu machine and starts the broker (and PostgreSQL
# with --with-postgres). Safe to run again: each step checks first.
#   scripts/setup.sh [--with-postgres]
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_POSTGRES=0
WITH_BROWSER=0   # --with-browser: Debian's chromium for the web workplace's browser tests
for arg in "$@"; do
  [[ "$arg" == "--with-postgres" ]] && WITH_POSTGRES=1
  [[ "$arg" == "--with-browser" ]] && WITH_BROWSER=1
done
[[ -n "${EKM_DATABASE_URL:-}" ]] && WITH_POSTGRES=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

packages=()
command -v python3 >/dev/null || packages+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
command -v rabbitmq-server >/dev/null || [[ -x /usr/sbin/rabbitmq-server ]] || packages+=(rabbitmq-server)
if [[ $WITH_POSTGRES == 1 ]] && ! command -v pg_ctlcluster >/dev/null; then packages+=(postgresql); fi
if [[ $WITH_BROWSER == 1 ]] && [[ ! -x /usr/bin/chromium ]]; then packages+=(chromium); fi
# the web workplace's printable documents (PDF in Ukrainian) embed DejaVu Sans
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || packages+=(fonts-dejavu-core)
# make lint's buf comes from npm (package-lock.json)
command -v npm >/dev/null || packages+=(npm)
if (( ${#packages[@]} )); then
  say "Installing ${packages[*]} (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

# RabbitMQ: start when stopped (it does not start on install inside a container).
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  say "Starting RabbitMQ"
  as_root rabbitmq-server -detached
  as_root rabbitmqctl -q await_startup --timeout 120
fi
if ! as_root rabbitmq-plugins -q list -e rabbitmq_management 2>/dev/null | grep -q rabbitmq_management; then
  say "Enabling the RabbitMQ management plugin"
  as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null
fi

if [[ $WITH_POSTGRES == 1 ]]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    say "Starting PostgreSQL"
    version=$(ls /etc/postgresql | sort -V | tail -1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  # Tests and examples connect as postgres/postgres over loopback (a fresh Debian cluster
  # asks for a password there; this sets one for the local development cluster).
  if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -tAc 'select 1' >/dev/null 2>&1; then
    say "Setting the local postgres user's password for development"
    as_root runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD 'postgres'"
  fi
fi

# Python virtualenv with the pinned set; reinstalled when the lock file changes.
stamp=.venv/.installed
if [[ ! -f $stamp ]] || ! cmp -s requirements.lock "$stamp"; then
  say "Installing Python dependencies into .venv"
  [[ -x .venv/bin/python ]] || python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.lock
  editable=()
  for project in libs/*/pyproject.toml services/*/pyproject.toml services/*/simulators/pyproject.toml web/pyproject.toml; do
    [[ -f $project ]] && editable+=(-e "$(dirname "$project")")
  done
  .venv/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation "${editable[@]}"
  cp requirements.lock "$stamp"
fi

# npm tools (buf, for make lint) pinned in package-lock.json; reinstalled when the lock changes.
# --ignore-scripts: the buf binary arrives as the platform's optional package, nothing downloads.
npm_stamp=node_modules/.installed
if [[ -f package-lock.json ]] && { [[ ! -f $npm_stamp ]] || ! cmp -s package-lock.json "$npm_stamp"; }; then
  say "Installing npm tools (buf) into node_modules"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$npm_stamp"
fi
