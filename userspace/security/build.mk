# SPDX-License-Identifier: GPL-2.0-only
# userspace/security: libcap for userspace/lib/privdrop.c and libseccomp for
# userspace/lib/sandbox.c (docs/security.md).
LDLIBS_USER += -lcap -lseccomp
