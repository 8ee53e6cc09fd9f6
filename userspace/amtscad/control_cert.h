/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Provisioning certificate bundles for the control socket: a PEM file with
 * the chain (leaf first, root last) and the leaf's private key, checked
 * with OpenSSL before it is installed into certs_dir.
 */
#ifndef AMTSCAD_CONTROL_CERT_H
#define AMTSCAD_CONTROL_CERT_H

#include <stddef.h>

#include <json-c/json.h>

/*
 * Check pem (len bytes): the key matches the leaf, the chain verifies to its
 * self-signed root, the leaf is an AMT provisioning certificate. Returns
 * {"leaf_cn","root_sha256","not_after","chain_length","domain_match"}, or
 * NULL with the reason in err. domain may be "" (no check).
 */
struct json_object *control_cert_check(const char *pem, size_t len,
				       const char *domain, char *err,
				       size_t errlen);
/*
 * Check pem and write it as certs_dir/NAME.pem, mode 0600, never replacing
 * a file. Returns the description, or NULL with the reason in err.
 */
struct json_object *control_cert_install(const char *certs_dir,
					 const char *name, const char *pem,
					 size_t len, const char *domain,
					 char *err, size_t errlen);
/* Every *.pem of certs_dir with its description or its error. */
struct json_object *control_cert_list(const char *certs_dir, const char *domain,
				      char *err, size_t errlen);

#endif /* AMTSCAD_CONTROL_CERT_H */
