#!/usr/bin/env bash
# Starts the machine's PostgreSQL (installed by tools.sh) and prints a URL for
# a user who may create the per-test databases.
set -euo pipefail
# Only the URL goes to stdout (callers capture it); pg_ctlcluster and friends
# print notices such as "Removed stale pid file." that must not end up in it.
exec 3>&1 1>&2  # (the server must not inherit fd 3: see "3>&-" below)
version=$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  cluster=main
  pg_createcluster "$version" "$cluster" 3>&-
fi
if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
  pg_ctlcluster "$version" "$cluster" start 3>&-
fi
port=$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'heard_test') THEN
    CREATE ROLE heard_test LOGIN CREATEDB PASSWORD 'heard_test';
  END IF;
END \$\$;
SQL
echo "postgres://heard_test:heard_test@127.0.0.1:$port/postgres" >&3
