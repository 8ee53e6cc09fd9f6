# SPDX-License-Identifier: GPL-2.0-only
# packaging/: `make install` (DESTDIR, PREFIX, ...) of the programs, the
# BPF object, the module source for DKMS, the default configuration, the
# man pages and the systemd unit; the Debian package builds through it.
#
#   make install DESTDIR=/tmp/root PREFIX=/usr

# The version is the one debian/changelog names, without the Debian revision.
VERSION := $(shell head -n 1 debian/changelog | cut -d ' ' -f 2 | \
		   tr -d '()' | sed 's/-[^-]*$$//')

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/amtsca
SRCDIR_DKMS ?= $(PREFIX)/src/amtsca-$(VERSION)
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

# Daemon and operator tool are for administrators (section 8); the rest of
# build/bin (amtsim, when it is built) is for users.
SBIN_PROGS := amtscad amtscactl
INSTALL_BIN_PROGS = $(filter $(BUILD)/bin/%,$(PROGS))
MAN_PAGES := docs/man/amtscad.8 docs/man/amtscactl.8 docs/man/amtsim.1 \
	     $(BUILD)/man/amtsca.conf.5
KMOD_DIST := $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild kmod/Kconfig

$(BUILD)/packaging/amtsca.conf: docs/config.md packaging/gen-conf.sh
	@mkdir -p $(@D)
	packaging/gen-conf.sh conf $< > $@

$(BUILD)/man/amtsca.conf.5: docs/man/amtsca.conf.5.in docs/config.md \
			    packaging/gen-conf.sh
	@mkdir -p $(@D)
	packaging/gen-conf.sh man docs/config.md > $@.keys
	sed -e '/^@KEYS@$$/{r $@.keys' -e 'd}' $< > $@
	rm -f $@.keys

$(BUILD)/packaging/dkms.conf: packaging/dkms.conf.in debian/changelog
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/g' $< > $@

.PHONY: install
install: all $(BUILD)/packaging/amtsca.conf $(BUILD)/packaging/dkms.conf $(BUILD)/man/amtsca.conf.5
	@test -n "$(VERSION)" || { echo "install: no version in debian/changelog" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(LIBDIR)/amtsca $(DESTDIR)$(SYSCONFDIR)/amtsca \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SRCDIR_DKMS)/kmod $(DESTDIR)$(SRCDIR_DKMS)/include/amtsca
	for p in $(INSTALL_BIN_PROGS); do \
		case " $(SBIN_PROGS) " in \
		*" $${p##*/} "*) dir=$(SBINDIR) ;; *) dir=$(BINDIR) ;; esac; \
		$(INSTALL) -d $(DESTDIR)$$dir && \
		$(INSTALL) -m 0755 $$p $(DESTDIR)$$dir/ || exit 1; \
	done
	$(INSTALL) -m 0644 $(BPF_OBJ) $(DESTDIR)$(LIBDIR)/amtsca/
	$(INSTALL) -m 0644 $(KMOD_DIST) $(DESTDIR)$(SRCDIR_DKMS)/kmod/
	$(INSTALL) -m 0644 include/amtsca/*.h $(DESTDIR)$(SRCDIR_DKMS)/include/amtsca/
	$(INSTALL) -m 0644 $(BUILD)/packaging/dkms.conf $(DESTDIR)$(SRCDIR_DKMS)/
	# An existing configuration is the operator's: never overwrite it.
	test -e $(DESTDIR)$(SYSCONFDIR)/amtsca/amtsca.conf || \
		$(INSTALL) -m 0644 $(BUILD)/packaging/amtsca.conf $(DESTDIR)$(SYSCONFDIR)/amtsca/
	# The unit names the installed paths (PREFIX and SYSCONFDIR as given).
	sed -e 's|/usr/sbin/|$(SBINDIR)/|g' -e 's|/etc/amtsca/|$(SYSCONFDIR)/amtsca/|g' \
		packaging/amtscad.service > $(DESTDIR)$(SYSTEMDUNITDIR)/amtscad.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/amtscad.service
	$(INSTALL) -m 0644 $(filter %.1,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 $(filter %.5,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 $(filter %.8,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/

TEST_PROGS += tests/ops/install.sh
TEST_PROGS += tests/ops/deb.sh
