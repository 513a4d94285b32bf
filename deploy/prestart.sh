#!/bin/sh
# The prestart step of the container (its ENTRYPOINT) and of the systemd unit (ExecStartPre):
# wait until the database named by DATABASE_URL accepts connections, upgrade it to the newest
# schema with `nianbao migrate`, then run the given command, if any, in this process's place.
#
#   deploy/prestart.sh                 migrate, then exit 0
#   deploy/prestart.sh nianbao run     migrate, then become the bot
#
# Several replicas starting at once are safe: `nianbao migrate` takes an advisory lock, and a
# database that is already current is left alone. Settings (environment only):
#   PRESTART_TIMEOUT   seconds to keep trying before giving up (default 60)
#   PRESTART_INTERVAL  seconds between tries (default 2)
#   NIANBAO            the nianbao command (default: nianbao on PATH)
set -eu

timeout=${PRESTART_TIMEOUT:-60}
interval=${PRESTART_INTERVAL:-2}
nianbao=${NIANBAO:-nianbao}
started=$(date +%s)
attempt=1

# `nianbao migrate` exits 0 when the schema is current and 2, with one sentence on stderr, when
# the database cannot be used (not up yet, wrong password, a newer schema than this release).
until "$nianbao" migrate; do
    elapsed=$(( $(date +%s) - started ))
    if [ "$elapsed" -ge "$timeout" ]; then
        echo "prestart: 数据库在 ${timeout} 秒内仍不可用，放弃启动（见上面的原因）。" >&2
        exit 1
    fi
    echo "prestart: 等待数据库就绪（第 ${attempt} 次尝试失败，${interval} 秒后重试）……" >&2
    attempt=$((attempt + 1))
    sleep "$interval"
done

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
