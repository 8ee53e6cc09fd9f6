# SPDX-License-Identifier: GPL-2.0-only
# Control socket and amtscactl (s2-ctl): libcsv for the fleet credentials
# CSV, json-c for the control protocol's JSON replies.
LDLIBS_USER += -lcsv -ljson-c

FUZZ_SRCS_psk_csv := userspace/lib/psk_csv.c
FUZZ_LDLIBS_psk_csv := -lcsv
FUZZ_SRCS_control_proto := userspace/lib/control_proto.c
