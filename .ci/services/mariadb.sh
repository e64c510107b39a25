# MariaDB on 127.0.0.1:3306 with root and an empty password over TCP, for the tests of
# libs/dbconnect and plugins/schema. Sourced by .ci/run (bash, set -euo pipefail, root), which
# provides log and apt_install. A MariaDB that cannot be made to answer stops CI here, so the
# tests fail rather than skip.

mariadb_tcp_open() { (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; }

mariadb_client() {
  if command -v mariadb >/dev/null; then echo mariadb; elif command -v mysql >/dev/null; then echo mysql; fi
}

mariadb_root_tcp_login() {
  "$(mariadb_client)" --protocol=tcp -h 127.0.0.1 -P 3306 -u root --connect-timeout=5 -e 'select 1' >/dev/null 2>&1
}

if ! mariadb_tcp_open; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    log "installing MariaDB"
    apt_install mariadb-server
  fi
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ]; then
    log "initialising the MariaDB data directory"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mariadb_tcp_open && break; sleep 1; done
fi
mariadb_tcp_open || { log "MariaDB is not answering on 127.0.0.1:3306"; exit 1; }

if [ -z "$(mariadb_client)" ]; then
  log "installing the MariaDB client"
  apt_install mariadb-client
fi

if ! mariadb_root_tcp_login; then
  # Debian's root@localhost logs in through the unix socket only; as root on this machine the
  # socket lets us in to allow the empty password over TCP as well (test machines only).
  log "allowing root with an empty password over TCP"
  "$(mariadb_client)" -u root -e "
    ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    FLUSH PRIVILEGES;"
fi
mariadb_root_tcp_login || { log "cannot log in to MariaDB as root with an empty password on 127.0.0.1:3306"; exit 1; }
log "MariaDB ready: $("$(mariadb_client)" --protocol=tcp -h 127.0.0.1 -u root -N -e 'select version()')"
