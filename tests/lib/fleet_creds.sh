# SPDX-License-Identifier: GPL-2.0-only
#
# A simulated fleet's credentials for a daemon test. Source it, then:
#
#   fleet_creds DIR DEVICES MODE SEED
#       provisioning certificates from mkcerts.sh in DIR/pki with the chain
#       and key the daemon uses in DIR/certs/prov.pem; the fleet's PID/PPS
#       CSV from `amtsim --creds-only` imported into DIR/state.db (key
#       DIR/key, as daemon_test_opts expects); sets SIM_ARGS, the amtsim
#       arguments that give the same fleet (add --sca etc. to run it).
#
# Uses AMTSIM (default build/bin/amtsim) and DB_CHECK (build/tests/db_check).

fleet_creds() {
	local dir=${1:?} devices=${2:?} mode=${3:?} seed=${4:?}
	SIM_ARGS=(--devices "$devices" --mode "$mode" --seed "$seed"
		--trusted-root "$dir/pki/root.pem" --domain amt.test)
	tests/lib/mkcerts.sh "$dir/pki" >/dev/null 2>&1 &&
		mkdir -p "$dir/certs" &&
		cat "$dir/pki/chain.pem" "$dir/pki/leaf.key" \
			>"$dir/certs/prov.pem" &&
		"${AMTSIM:-build/bin/amtsim}" "${SIM_ARGS[@]}" \
			--creds-out "$dir/creds.csv" --creds-only >/dev/null &&
		"${DB_CHECK:-build/tests/db_check}" "$dir/state.db" "$dir/key" \
			import "$dir/creds.csv" >/dev/null
}
