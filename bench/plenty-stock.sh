#!/usr/bin/env bash
# Gives the catalog's 36 seeded products stock that no benchmark run sells out (every order reserves
# stock: README "Stock"), through the operator API, so the catalog's cache is invalidated as for
# any product write. Usage: bench/plenty-stock.sh CATALOG_PORT (SOUQ_ADMIN_TOKEN set).
set -euo pipefail
port=$1
for id in $(seq 1 36); do
  curl -sf "localhost:$port/api/products/$id" |
    python3 -c 'import json, sys; p = json.load(sys.stdin); p.pop("id"); p["stock"] = 1000000000; print(json.dumps(p))' |
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $SOUQ_ADMIN_TOKEN" \
      -H "Content-Type: application/json" -d @- "localhost:$port/api/products/$id"
done
