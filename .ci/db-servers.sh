# Starts the PostgreSQL and Redis the tests use (127.0.0.1:5432, database "test", and 127.0.0.1:6379) when
# they are not running yet. Sourced by .ci/run. Tolerant: a missing tool is named, and the run goes on (the
# tests that need the server then fail with a message naming it), so a machine without them still builds.

ensure_db_servers() {
  ensure_postgres
  ensure_redis
  return 0
}

ensure_postgres() {
  if ! command -v pg_isready >/dev/null; then
    echo "pg_isready is missing (Debian package postgresql-client); cannot check or start PostgreSQL" >&2
    return 0
  fi
  if pg_isready -q -h 127.0.0.1; then
    echo "PostgreSQL is running on 127.0.0.1"
    return 0
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "PostgreSQL is not running and pg_ctlcluster is missing (Debian package postgresql-common); start it yourself" >&2
    return 0
  fi
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)" || version=""
  if [ -z "$version" ]; then
    echo "PostgreSQL is not running and no cluster is set up in /etc/postgresql (Debian package postgresql)" >&2
    return 0
  fi
  echo "Starting PostgreSQL $version (cluster main)"
  if ! pg_ctlcluster --skip-systemctl-redirect "$version" main start; then
    echo "pg_ctlcluster $version main start failed" >&2
    return 0
  fi
  local i
  for i in $(seq 1 30); do
    if pg_isready -q -h 127.0.0.1; then
      echo "PostgreSQL is running on 127.0.0.1"
      return 0
    fi
    sleep 1
  done
  echo "PostgreSQL was started but does not answer on 127.0.0.1 after 30 s" >&2
  return 0
}

ensure_redis() {
  if ! command -v redis-cli >/dev/null; then
    echo "redis-cli is missing (Debian package redis-tools); cannot check or start Redis" >&2
    return 0
  fi
  if [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = "PONG" ]; then
    echo "Redis is running on 127.0.0.1:6379"
    return 0
  fi
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not running and redis-server is missing (Debian package redis-server); start it yourself" >&2
    return 0
  fi
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  echo "Starting Redis on 127.0.0.1:6379"
  if ! redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log; then
    echo "redis-server failed to start; see /var/log/redis/ci.log" >&2
    return 0
  fi
  local i
  for i in $(seq 1 30); do
    if [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = "PONG" ]; then
      echo "Redis is running on 127.0.0.1:6379"
      return 0
    fi
    sleep 1
  done
  echo "Redis was started but does not answer on 127.0.0.1:6379 after 30 s" >&2
  return 0
}
