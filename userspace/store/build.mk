# userspace/store: libinih for userspace/lib/config.c (/etc/amtsca/amtsca.conf).
LDLIBS_USER += -linih

FUZZ_SRCS_config := userspace/lib/config.c
FUZZ_LDLIBS_config := -linih
