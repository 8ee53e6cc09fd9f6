# SPDX-License-Identifier: GPL-2.0-only
# Protocol libraries in userspace/lib (hello_encode, http_digest, http_msg):
# their libFuzzer targets. The sources themselves are part of libamtsca.

FUZZ_SRCS_http_digest := userspace/lib/http_digest.c
FUZZ_LDLIBS_http_digest := -lcrypto

FUZZ_SRCS_http_msg := userspace/lib/http_msg.c

# wsman_fuzz also drives the simulated device (userspace/amtsim).
FUZZ_SRCS_wsman := userspace/lib/wsman.c userspace/lib/wsman_parse.c \
		   userspace/amtsim/device_model.c
FUZZ_LDLIBS_wsman := $(shell $(PKG_CONFIG) --libs libxml-2.0) -lcrypto \
		     -lpthread
