#!/bin/sh
# Run once by the postgres image when it creates the database (docker-compose.yml mounts it into
# /docker-entrypoint-initdb.d): lets the `replica` profile's server stream from this one.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
