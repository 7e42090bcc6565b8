# Sourced by the WebSocket benches: REDIS_URL (default the local Redis, database 5) taken apart into
# host, rport and db, for their load clients, which speak to Redis themselves.
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/5}
host=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').hostname)")
rport=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port or 6379)")
db=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').path.strip('/') or 0)")
