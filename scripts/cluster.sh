#!/usr/bin/env bash
# Local OpenSearch cluster launcher: 1 or 3 nodes on loopback with the multivector plugin installed.
#
#   scripts/cluster.sh start [--nodes 1|3] [--port 9200] [--dir target/cluster] [--knn] [--neural] [--heap 1g] [--models DIR]... [--repo DIR]
#                            [--setting key=value]... [--java-opts "-XX:UseAVX=2 -Dmultivector.isa=avx2"] (more JVM flags for the nodes)
#   scripts/cluster.sh stop  [--dir target/cluster]
#   scripts/cluster.sh status [--dir target/cluster]
#   scripts/cluster.sh pids [--dir target/cluster]              # "node-N PID" per running node
#   scripts/cluster.sh start-node --node N [--dir target/cluster]  # start a stopped (or killed) node again, data kept
#   scripts/cluster.sh resume [--dir target/cluster]            # start every stopped node again, data kept; waits for green
#
# The node distribution and the peers' zips come from Maven Central (versions in the root pom). --knn installs
# opensearch-knn; --neural installs opensearch-knn and neural-search (which extends it).
# OpenSearch refuses to run as root, so as root the nodes run as the user 'opensearch' (created if missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}; shift || true
dir=$ROOT/target/cluster; port=9200; nodes=1; knn=false; neural=false; heap=1g; models=(); repo=""; node=""; timeout=300; java_opts=""
settings=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --knn) knn=true; shift ;;
    --neural) knn=true; neural=true; shift ;;
    --heap) heap=$2; shift 2 ;;
    --java-opts) java_opts=$2; shift 2 ;;
    --models) models+=("$2"); shift 2 ;; # copied into each node's config/multivector, for registered models; may repeat
    --repo) repo=$2; shift 2 ;; # path.repo (default <dir>/snapshots): a second cluster given the first one's restores its snapshots
    --node) node=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;; # seconds to wait for green (start, resume)
    --setting) settings+=("$2"); shift 2 ;; # key=value, a node setting written to each node's opensearch.yml; may repeat
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac
case "$repo" in ""|/*) ;; *) repo=$PWD/$repo ;; esac
RUN_USER=opensearch

log() { echo "[cluster] $*" >&2; }

fetch_artifact() { # groupId:artifactId:version:zip -> path of the zip under target/dist
  local coords=$1 out=$ROOT/target/dist
  local name; name=$(echo "$coords" | awk -F: '{print $2"-"$3"."$4}')
  if [ ! -f "$out/$name" ]; then
    log "fetching $coords from Maven Central"
    mkdir -p "$out"
    mvn_batch dependency:copy -Dartifact="$coords" -DoutputDirectory="$out" -Dmdep.overWriteIfNewer=true >&2
  fi
  echo "$out/$name"
}

as_node_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$RUN_USER" -- "$@"; else "$@"; fi
}

ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  if ! id "$RUN_USER" >/dev/null 2>&1; then
    log "creating user $RUN_USER"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
  fi
}

# The node user must be able to reach the node homes; a repository under /root is not reachable,
# so then the homes live under /var/tmp and $dir links there.
node_base() {
  mkdir -p "$(dirname "$dir")"
  if [ "$(id -u)" = 0 ] && ! runuser -u "$RUN_USER" -- test -x "$(dirname "$dir")" 2>/dev/null; then
    local base; base=/var/tmp/multivector-cluster-$(echo "$dir" | md5sum | cut -c1-8)
    rm -rf "$base" "$dir"; mkdir -p "$base"; ln -s "$base" "$dir"
    dir=$base # the node user must never go through the link, which sits in a directory it cannot enter
  else
    rm -rf "$dir"; mkdir -p "$dir"
  fi
}

write_config() { # node index, home
  local i=$1 home=$2 seeds="" masters="" j
  for ((j = 0; j < nodes; j++)); do
    seeds+="\"127.0.0.1:$((port + 100 + j))\","; masters+="\"node-$j\","
  done
  {
    echo "cluster.name: multivector-test"
    echo "node.name: node-$i"
    echo "network.host: 127.0.0.1"
    echo "http.port: $((port + i))"
    echo "transport.port: $((port + 100 + i))"
    echo "path.data: $home/data"
    echo "path.logs: $home/logs"
    # one folder for every node of the cluster: an fs snapshot repository must be the same path on all of them
    echo "path.repo: [\"$repo\"]"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    echo "action.auto_create_index: true"
    for setting in "${settings[@]}"; do
      echo "${setting%%=*}: ${setting#*=}"
    done
    if [ "$nodes" = 1 ]; then
      echo "discovery.type: single-node"
    else
      echo "discovery.seed_hosts: [${seeds%,}]"
      echo "cluster.initial_cluster_manager_nodes: [${masters%,}]"
    fi
  } > "$home/config/opensearch.yml"
}

start() {
  find_jdk
  local version; version=$(pom_property opensearch.version)
  local dist; dist=$(fetch_artifact "org.opensearch.distribution.integ-test-zip:opensearch:$version:zip")
  local plugin; plugin=$(ls "$ROOT"/plugin/target/multivector-*.zip 2>/dev/null | head -n 1 || true)
  [ -n "$plugin" ] || { log "no plugin zip: build it first (mvn package)"; exit 1; }
  local knn_zip=""
  $knn && knn_zip=$(fetch_artifact "org.opensearch.plugin:opensearch-knn:$(pom_property opensearch.knn.version):zip")
  local neural_zip=""
  $neural && neural_zip=$(fetch_artifact "org.opensearch.plugin:neural-search:$(pom_property opensearch.knn.version):zip")

  stop_nodes quietly
  ensure_user
  node_base
  local i home
  [ -n "$repo" ] || repo=$dir/snapshots
  mkdir -p "$repo"
  [ "$(id -u)" = 0 ] && chown "$RUN_USER" "$repo"
  # one install, copied to the other nodes before any starts: each plugin install is a JVM start, slow on small machines
  home=$dir/node-0
  mkdir -p "$home"
  unzip -q "$dist" -d "$home.tmp" && mv "$home.tmp"/opensearch-*/* "$home" && rm -rf "$home.tmp"
  OPENSEARCH_JAVA_HOME=$JAVA_HOME "$home/bin/opensearch-plugin" install --batch "file://$plugin" >"$home/plugin-install.log" 2>&1 \
    || { cat "$home/plugin-install.log" >&2; exit 1; }
  for peer in $knn_zip $neural_zip; do # neural-search extends opensearch-knn: knn first
    OPENSEARCH_JAVA_HOME=$JAVA_HOME "$home/bin/opensearch-plugin" install --batch "file://$peer" >>"$home/plugin-install.log" 2>&1 \
      || { cat "$home/plugin-install.log" >&2; exit 1; }
  done
  for ((i = 1; i < nodes; i++)); do cp -a "$dir/node-0" "$dir/node-$i"; done
  for ((i = 0; i < nodes; i++)); do
    home=$dir/node-$i
    write_config "$i" "$home"
    for source in "${models[@]}"; do
      mkdir -p "$home/config/multivector" && cp -r "$source"/. "$home/config/multivector/"
    done
    # the heap lives in the node's config, so a node started again (start-node, resume) gets the same
    mkdir -p "$home/config/jvm.options.d"
    printf -- '-Xms%s\n-Xmx%s\n' "$heap" "$heap" > "$home/config/jvm.options.d/heap.options"
    # so are the extra JVM flags, one a line
    rm -f "$home/config/jvm.options.d/extra.options"
    for opt in $java_opts; do echo "$opt" >> "$home/config/jvm.options.d/extra.options"; done
    [ "$(id -u)" = 0 ] && chown -R "$RUN_USER" "$home"
    launch "$home"
  done
  wait_green
}

launch() { # node home: starts the node in the background, its PID in <home>/opensearch.pid
  local home=$1
  log "starting $(basename "$home") on http://127.0.0.1:$(sed -n 's/^http.port: //p' "$home/config/opensearch.yml")"
  as_node_user env OPENSEARCH_JAVA_HOME="$JAVA_HOME" JAVA_HOME="$JAVA_HOME" \
    "$home/bin/opensearch" -d -p "$home/opensearch.pid" >"$home/startup.log" 2>&1 \
    || { tail -n 40 "$home/startup.log" >&2; exit 1; }
}

running_pid() { # node home -> its PID when the node runs, else nothing
  local pidfile=$1/opensearch.pid
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"
  return 0
}

# An existing cluster's settings, read back from its nodes' homes (start-node, resume, pids).
existing() {
  [ -d "$dir/node-0" ] || { log "no cluster in $dir"; exit 1; }
  dir=$(readlink -f "$dir") # the node user must not go through a link (see node_base)
  nodes=$(ls -d "$dir"/node-* | wc -l)
  port=$(sed -n 's/^http.port: //p' "$dir/node-0/config/opensearch.yml")
}

start_node() {
  find_jdk; existing
  [ -n "$node" ] && [ -d "$dir/node-$node" ] || { log "no node-$node in $dir"; exit 1; }
  [ -z "$(running_pid "$dir/node-$node")" ] || { log "node-$node is running"; exit 1; }
  launch "$dir/node-$node"
}

resume() {
  find_jdk; existing
  local home
  for home in "$dir"/node-*; do
    [ -n "$(running_pid "$home")" ] || launch "$home"
  done
  wait_green
}

pids() {
  existing
  local home pid
  for home in "$dir"/node-*; do
    pid=$(running_pid "$home")
    [ -z "$pid" ] || echo "$(basename "$home") $pid"
  done
}

wait_green() {
  local url="http://127.0.0.1:$port/_cluster/health?wait_for_status=green&wait_for_nodes=$nodes&timeout=5s"
  local deadline=$((SECONDS + timeout))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fsS "$url" 2>/dev/null | grep -q '"status":"green"'; then
      log "cluster green: $nodes node(s), http://127.0.0.1:$port"
      return 0
    fi
    for pidfile in "$dir"/node-*/opensearch.pid; do
      if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        log "a node died while starting:"; tail -n 40 "$dir"/node-*/logs/multivector-test.log "$dir"/node-*/startup.log >&2 || true; exit 1
      fi
    done
    sleep 2
  done
  log "cluster did not turn green in ${timeout}s; last log lines:"
  tail -n 40 "$dir"/node-*/logs/multivector-test.log >&2 || true
  exit 1
}

stop_nodes() {
  local pidfile pid stopped=0
  for pidfile in "$dir"/node-*/opensearch.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      stopped=$((stopped + 1))
    fi
    rm -f "$pidfile"
  done
  [ "${1:-}" = quietly ] || log "stopped $stopped node(s)"
}

status() {
  curl -fsS "http://127.0.0.1:$port/_cluster/health?pretty" || { echo "no cluster on port $port"; exit 1; }
}

case "$cmd" in
  start) start ;;
  start-node) start_node ;;
  resume) resume ;;
  pids) pids ;;
  stop) stop_nodes ;;
  status) status ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
