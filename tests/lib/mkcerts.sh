#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkcerts.sh DIR [DOMAIN]: make the TLS-PKI provisioning certificates the
# tests use (amt-protocol.md §4.2), with the openssl CLI, into DIR.
#
#   root.pem root.key root.sha256     trusted provisioning root (SHA-256 of
#                                     its DER in hex, for --trusted-root)
#   inter.pem inter.key               intermediate CA signed by the root
#   leaf.pem leaf.key                 CN=sca.DOMAIN, OU "Intel(R) Client Setup
#                                     Certificate", EKU serverAuth + Intel OID
#   chain.pem                         leaf + intermediate + root
#
# Every variant NAME below has NAME-leaf.pem, NAME-leaf.key, NAME-chain.pem:
#   oid-only      good: EKU OID, no OU          (accepted)
#   ou-only       good: OU, no EKU OID          (accepted)
#   untrusted     good leaf under another root (untrusted-root.pem)
#   wrong-ou      neither OU nor Intel OID
#   wrong-eku     OU + Intel OID but no serverAuth
#   wrong-domain  CN=sca.wrong-DOMAIN
# All keys are RSA-2048, all signatures SHA-256. DOMAIN defaults to amt.test.
set -eu

dir=${1:?usage: mkcerts.sh DIR [DOMAIN]}
domain=${2:-amt.test}
intel_ou='Intel(R) Client Setup Certificate'
intel_oid=2.16.840.1.113741.1.2.3
mkdir -p "$dir"
cd "$dir"

key() {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$1" 2>/dev/null
}

# ca NAME SUBJECT [ISSUER]: a CA certificate, self-signed without ISSUER.
ca() {
	local name=$1 subj=$2 issuer=${3:-}
	key "$name.key"
	if [ -z "$issuer" ]; then
		openssl req -x509 -new -key "$name.key" -subj "$subj" -days 3650 \
			-sha256 -out "$name.pem" \
			-addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign
		return
	fi
	openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
	printf '%s\n' basicConstraints=critical,CA:TRUE \
		keyUsage=critical,keyCertSign,cRLSign \
		subjectKeyIdentifier=hash authorityKeyIdentifier=keyid >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
		-CAcreateserial -days 3650 -sha256 -extfile "$name.ext" \
		-out "$name.pem" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
}

# leaf NAME ISSUER SUBJECT EKU: a leaf certificate and its chain file.
leaf() {
	local name=$1 issuer=$2 subj=$3 eku=$4 root=$5
	key "$name.key"
	openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
	printf '%s\n' basicConstraints=critical,CA:FALSE \
		keyUsage=critical,digitalSignature,keyEncipherment \
		"extendedKeyUsage=$eku" subjectKeyIdentifier=hash \
		authorityKeyIdentifier=keyid >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
		-CAcreateserial -days 825 -sha256 -extfile "$name.ext" \
		-out "$name.pem" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
	cat "$name.pem" "$issuer.pem" "$root.pem" >"${name%leaf}chain.pem"
}

ca root "/O=amtsca test/CN=amtsca test provisioning root"
ca inter "/O=amtsca test/CN=amtsca test provisioning intermediate" root
ca untrusted-root "/O=amtsca test/CN=amtsca untrusted root"
ca untrusted-inter "/O=amtsca test/CN=amtsca untrusted intermediate" \
	untrusted-root

good="/O=amtsca test/OU=$intel_ou/CN=sca.$domain"
plain="/O=amtsca test/CN=sca.$domain"
leaf leaf inter "$good" "serverAuth,$intel_oid" root
leaf oid-only-leaf inter "$plain" "serverAuth,$intel_oid" root
leaf ou-only-leaf inter "$good" serverAuth root
leaf untrusted-leaf untrusted-inter "$good" "serverAuth,$intel_oid" \
	untrusted-root
leaf wrong-ou-leaf inter "$plain" serverAuth root
leaf wrong-eku-leaf inter "$good" "clientAuth,$intel_oid" root
leaf wrong-domain-leaf inter \
	"/O=amtsca test/OU=$intel_ou/CN=sca.wrong-$domain" \
	"serverAuth,$intel_oid" root

openssl x509 -in root.pem -outform DER | openssl dgst -sha256 -r |
	cut -d' ' -f1 >root.sha256
rm -f ./*.srl
chmod 600 ./*.key
