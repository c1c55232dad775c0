#!/usr/bin/env bash
# Makes a local PostgreSQL answer on 127.0.0.1:5432 with the test role `reform`/`reform`:
# installs it from Debian's packages when absent, starts the cluster when stopped.
set -euo pipefail
say() { printf '[ensure] %s\n' "$*" >&2; }
sudo_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else sudo -u postgres bash -c "$*"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  say "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  ver="$(ls /etc/postgresql | sort -V | tail -1)"
  if [ -z "$ver" ]; then say "PostgreSQL is installed but has no cluster"; exit 1; fi
  say "starting PostgreSQL $ver"
  pg_ctlcluster "$ver" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! PGPASSWORD=reform psql -h 127.0.0.1 -U reform -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  say "creating the test role reform"
  sudo_pg "psql -q -c \"CREATE ROLE reform LOGIN SUPERUSER PASSWORD 'reform'\"" || \
    sudo_pg "psql -q -c \"ALTER ROLE reform LOGIN SUPERUSER PASSWORD 'reform'\""
fi
