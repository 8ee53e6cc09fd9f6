# userspace/store: libinih for userspace/lib/config.c (/etc/amtsca/amtsca.conf).
LDLIBS_USER += -linih
