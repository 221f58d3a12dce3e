#!/bin/sh
# Runs once, when the Postgres volume is first initialised (docker-entrypoint-initdb.d): Paystead, Temporal's
# persistence and Temporal's visibility each get a login role of their own (not a superuser) owning a database
# of its own, as `npm run cluster` sets them up. psql reads the passwords as variables, quoted by :'name'.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v paystead_password="$PAYSTEAD_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE paystead LOGIN PASSWORD :'paystead_password';
CREATE DATABASE paystead OWNER paystead;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE ROLE temporal_visibility LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal_visibility OWNER temporal_visibility;
SQL
