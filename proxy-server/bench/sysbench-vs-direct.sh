#!/usr/bin/env bash
# sysbench through the proxy and against MariaDB directly, in the same run, on twin databases.
#   mvn -B -q -DskipTests package && proxy-server/bench/sysbench-vs-direct.sh [seconds] [threads] [jar]
# Needs sysbench and MariaDB on 127.0.0.1:3306 (root, no password). The proxy listens on 3399.
# [threads] may be a list ("1 8 32"). Environment:
#   TESTS      sysbench tests (default: oltp_point_select oltp_read_only oltp_read_write)
#   PS_MODES   --db-ps-mode values (default: auto)
#   PROXY_CPUS pin the proxy to these CPUs and sysbench and MariaDB to the others (taskset -c
#              lists, e.g. PROXY_CPUS=1 CLIENT_CPUS=0): the proxy on a core of its own, as it would
#              run next to a server in production; MariaDB's affinity is restored at exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-15}
THREADS_LIST=${2:-4}
TESTS=${TESTS:-oltp_point_select oltp_read_only oltp_read_write}
PS_MODES=${PS_MODES:-auto}
PIN_PROXY=""
PIN_CLIENT=""
if [ -n "${PROXY_CPUS:-}" ]; then
  PIN_PROXY="taskset -c $PROXY_CPUS"
  PIN_CLIENT="taskset -c ${CLIENT_CPUS:?CLIENT_CPUS is needed with PROXY_CPUS}"
fi
LOG=$(mktemp -d)
mariadb -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS sb_direct; CREATE DATABASE sb_direct;
  DROP DATABASE IF EXISTS sb_proxy; CREATE DATABASE sb_proxy"
$PIN_PROXY java -jar "${3:-proxy-server/target/jdbc-sync-proxy.jar}" --listen 127.0.0.1:3399 \
  --url "jdbc:sync:mariadb://127.0.0.1:3306/sb_proxy?user=root&password=&sync.log=$LOG" > "$LOG/proxy.out" 2>&1 &
PROXY=$!
MARIADBD=$(pgrep -x mariadbd | head -1)
DB_AFFINITY=$(taskset -pc "$MARIADBD" | sed 's/.*: //')
trap 'kill $PROXY 2>/dev/null || true; taskset -apc "$DB_AFFINITY" "$MARIADBD" > /dev/null' EXIT
[ -n "$PIN_CLIENT" ] && taskset -apc "$CLIENT_CPUS" "$MARIADBD" > /dev/null
for _ in $(seq 1 100); do grep -q "listening on" "$LOG/proxy.out" && break; sleep 0.2; done
# sysbench's tables have an INT key, too small for the driver's 63-bit keys: explicit ids.
# sysbench's own ignored errors (deadlocks, lock waits), and 1062: oltp_insert draws random ids,
# which collide now and then with several threads, directly as through the proxy.
COMMON="--mysql-host=127.0.0.1 --mysql-user=root --mysql-password= --tables=1 --table-size=10000 --auto_inc=off --mysql-ignore-errors=1213,1020,1205,1062"
$PIN_CLIENT sysbench oltp_read_write $COMMON --mysql-port=3306 --mysql-db=sb_direct prepare > /dev/null
$PIN_CLIENT sysbench oltp_read_write $COMMON --mysql-port=3399 --mysql-db=sb_proxy prepare > /dev/null
# The proxy is a JVM: its first seconds run interpreted code. Warm both targets up alike.
for target in "3306 sb_direct" "3399 sb_proxy"; do
  set -- $target
  $PIN_CLIENT sysbench oltp_read_write $COMMON --mysql-port=$1 --mysql-db=$2 --threads=4 --time=10 run > /dev/null
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time per query (user + system, from /proc) of MariaDB and of the proxy: on a machine that
# runs client, proxy and server on the same cores, this is what bounds the ratio.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
printf "%-18s %-7s %4s %-7s %10s %10s %9s %9s %6s %12s %12s\n" test ps_mode thr target tps qps avg_ms p99_ms ratio db_us/query proxy_us/q
for t in $TESTS; do
 for mode in $PS_MODES; do
  for THREADS in $THREADS_LIST; do
   for target in "direct 3306 sb_direct" "proxy 3399 sb_proxy"; do
    set -- $target
    db0=$(ticks $MARIADBD); px0=$(ticks $PROXY)
    out=$($PIN_CLIENT sysbench $t $COMMON --mysql-port=$2 --mysql-db=$3 --threads=$THREADS --db-ps-mode=$mode --time=$SECONDS_PER_RUN --percentile=99 run)
    db1=$(ticks $MARIADBD); px1=$(ticks $PROXY)
    tps=$(echo "$out" | sed -n 's/.*transactions: .*(\(.*\) per sec.)/\1/p')
    qps=$(echo "$out" | sed -n 's/.*queries: .*(\(.*\) per sec.)/\1/p')
    avg=$(echo "$out" | awk '/avg:/ {print $2}')
    p99=$(echo "$out" | awk '/99th percentile/ {print $3}')
    ratio=""
    if [ "$1" = direct ]; then direct_qps=$qps; else ratio=$(awk -v p="$qps" -v d="$direct_qps" 'BEGIN {printf "%.2fx", p / d}'); fi
    queries=$(echo "$out" | sed -n 's/.*queries: *\([0-9]*\) .*/\1/p')
    db_us=$(awk -v t=$((db1 - db0)) -v q="$queries" -v hz=$HZ 'BEGIN {printf "%.1f", t * 1e6 / hz / q}')
    px_us=$(awk -v t=$((px1 - px0)) -v q="$queries" -v hz=$HZ 'BEGIN {printf "%.1f", t * 1e6 / hz / q}')
    [ "$1" = direct ] && px_us="-"
    printf "%-18s %-7s %4s %-7s %10s %10s %9s %9s %6s %12s %12s\n" $t $mode $THREADS $1 $tps $qps $avg $p99 "$ratio" $db_us $px_us
   done
  done
 done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
