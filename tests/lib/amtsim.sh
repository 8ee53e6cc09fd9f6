# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the tests/sim scripts: amtsim in the fleet namespace of
# tests/lib/fleet_net.sh, and an SCA side made of openssl s_client. Source
# after tap.sh and fleet_net.sh.
#
#   sim_start ARGS...   run amtsim in the fleet namespace (SIM_PID), wait
#                       until it listens on 16993; device 0 is 198.18.16.1
#   sim_stop            SIGTERM it and wait; its stdout is in $SIM_OUT
#   sim_creds SEED N    PID, PPS, MEBX of device N-1 (from --creds-only)
#   sca_psk ID KEY ARGS...      TLS-PSK client from the SCA namespace to
#                               device 0; stdin is sent, the reply printed
#   sca_pki CHAIN KEY ARGS...   the same with a client certificate chain
#   digest_auth REALM NONCE NC PASSWORD   an Authorization value (admin)
#   wsman_post FILE [AUTH] [CONNECTION]   a POST /wsman request with FILE

AMTSIM=${AMTSIM:-build/bin/amtsim}
SIM_DEV_ADDR=198.18.16.1
SIM_PID=

sim_start() {
	SIM_OUT=$(mktemp)
	ip netns exec "$FLEET_DEV_NS" timeout -k 5 120 "$AMTSIM" "$@" \
		>"$SIM_OUT" 2>&1 &
	SIM_PID=$!
	local i
	for i in $(seq 50); do
		ip netns exec "$FLEET_DEV_NS" ss -Hltn 'sport = :16993' |
			grep -q . && return 0
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# amtsim did not start: $(cat "$SIM_OUT")"
	return 1
}

sim_stop() {
	[ -n "$SIM_PID" ] || return 0
	kill -TERM "$SIM_PID" 2>/dev/null
	local i
	for i in $(seq 100); do
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.1
	done
	# Still there after 10 s: kill our amtsim (the child of timeout).
	kill -0 "$SIM_PID" 2>/dev/null && pkill -KILL -P "$SIM_PID"
	wait "$SIM_PID" 2>/dev/null
	SIM_PID=
	# Sanitizer reports (ASan build) surface in the test's own output.
	grep -h -A3 'Sanitizer' "$SIM_OUT" >&2
	return 0
}

sim_creds() {
	local csv
	csv=$(mktemp)
	"$AMTSIM" --devices "$2" --seed "$1" --creds-out "$csv" --creds-only &&
		IFS=, read -r PID PPS MEBX < <(tail -n 1 "$csv")
	rm -f "$csv"
}

# The PSK as hex: the 32 PPS characters as ASCII bytes.
psk_hex() {
	printf %s "$1" | od -An -v -tx1 | tr -d ' \n'
}

sca_psk() {
	local id=$1 key=$2
	shift 2
	ip netns exec "$FLEET_SCA_NS" timeout 10 openssl s_client -quiet \
		-ign_eof -connect "$SIM_DEV_ADDR:16993" -psk_identity "$id" \
		-psk "$key" "$@" 2>>"${SCA_ERR:-/dev/null}"
}

sca_pki() {
	local chain=$1 key=$2
	shift 2
	ip netns exec "$FLEET_SCA_NS" timeout 10 openssl s_client -quiet \
		-ign_eof -connect "$SIM_DEV_ADDR:16993" -tls1_2 \
		-cert "$chain" -cert_chain "$chain" -key "$key" "$@" \
		2>>"${SCA_ERR:-/dev/null}"
}

md5_hex() {
	printf %s "$1" | md5sum | cut -d' ' -f1
}

digest_auth() {
	local realm=$1 nonce=$2 nc=$3 pw=$4 cnonce=0a4f113b ha1 ha2
	ha1=$(md5_hex "admin:$realm:$pw")
	ha2=$(md5_hex "POST:/wsman")
	printf 'Digest username="admin", realm="%s", nonce="%s", uri="/wsman", qop=auth, nc=%s, cnonce="%s", response="%s"' \
		"$realm" "$nonce" "$nc" "$cnonce" \
		"$(md5_hex "$ha1:$nonce:$nc:$cnonce:auth:$ha2")"
}

wsman_post() {
	local file=$1 auth=${2:-} conn=${3:-close}
	printf 'POST /wsman HTTP/1.1\r\nHost: %s:16993\r\n' "$SIM_DEV_ADDR"
	printf 'Content-Type: application/soap+xml; charset=utf-8\r\n'
	printf 'Content-Length: %s\r\nConnection: %s\r\n' \
		"$(wc -c <"$file")" "$conn"
	[ -n "$auth" ] && printf 'Authorization: %s\r\n' "$auth"
	printf '\r\n'
	cat "$file"
}

# challenge_field NAME < RESPONSE: a parameter of the WWW-Authenticate line.
challenge_field() {
	grep -i '^WWW-Authenticate:' | head -n 1 |
		sed -E "s/.*[ ,]$1=\"([^\"]*)\".*/\\1/"
}

# sim_test_begin TAG: namespaces amtsca-TAG-$$ (fleet_net_up), a scratch
# directory $tmp, and an EXIT trap that stops amtsim and any Hello sink
# ($sink) and removes both.
sim_test_begin() {
	SIM_NET=amtsca-$1-$$
	tmp=$(mktemp -d)
	SCA_ERR=$tmp/sca.err
	sink=
	trap sim_test_end EXIT
	fleet_net_up "$SIM_NET"
}

sim_test_end() {
	[ -n "$sink" ] && kill "$sink" 2>/dev/null
	sim_stop
	fleet_net_down "$SIM_NET"
	rm -rf "$tmp"
}
