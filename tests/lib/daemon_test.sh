# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for tests that run amtscad. Source after tap.sh.
#
#   daemon_test_opts DIR     the -o options that keep a daemon's state in
#                            DIR (database, key, control socket, PKI chains
#                            in DIR/certs); use as "${DAEMON_OPTS[@]}"
#   wait_log FILE PATTERN [TENTHS]
#                            bounded wait (default 5 s) for a matching line
#   daemon_stop PID          SIGTERM, wait at most 5 s; sets DAEMON_RC
#                            (124 when it did not exit)

daemon_test_opts() {
	DAEMON_OPTS=(-o "daemon.db_path=$1/state.db" -o "daemon.key_file=$1/key"
		-o "daemon.control_socket=$1/ctl.sock"
		-o "profile.certs_dir=$1/certs"
		-o security.user=nobody -o security.group=nogroup)
}

wait_log() {
	local i
	for ((i = 0; i < ${3:-50}; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

daemon_stop() {
	local i
	DAEMON_RC=124
	kill -TERM "$1" 2>/dev/null
	for i in $(seq 50); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			DAEMON_RC=$?
			return
		fi
		sleep 0.1
	done
}
