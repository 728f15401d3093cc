#!/bin/sh
# HAProxy for compose.yaml: fills in haproxy.cfg.template (beside this script) for the replicas of the `app` service,
# then runs HAProxy in the foreground. REPLICAS (default 2) is the number of replicas (compose.yaml gives the same
# variable to `app`); LISTEN (default :8080) is the bind line, its options too (TLS: ":8443 ssl crt
# /usr/local/etc/haproxy/site.pem alpn http/1.1"). Arguments go to haproxy (-c: check the filled-in file and stop).
set -eu
here=$(dirname "$0")
config=${CONFIG:-/tmp/haproxy.cfg}
servers=""
i=1
while [ "$i" -le "${REPLICAS:-2}" ]; do
    # Compose names the replicas backprop-playground-app-1, -2, …; Docker's DNS finds them, and finds one again
    # after it restarted with another address (resolvers below).
    servers="${servers}    server r$i backprop-playground-app-$i:8501 check cookie r$i resolvers docker init-addr libc,none
"
    i=$((i + 1))
done
LISTEN=${LISTEN:-:8080} SERVERS=$servers awk '
    $1 == "bind" && $2 == "LISTEN_ADDRESS" && NF == 2 { print "    bind " ENVIRON["LISTEN"]; next }
    $1 == "REPLICA_SERVERS" && NF == 1 { printf "%s", ENVIRON["SERVERS"]; next }
    { print }' "$here/haproxy.cfg.template" > "$config"
printf '\nresolvers docker\n    parse-resolv-conf\n    hold valid 10s\n' >> "$config"
exec haproxy -db -f "$config" "$@"
