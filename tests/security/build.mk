# SPDX-License-Identifier: GPL-2.0-only
# tests/security/: least privilege, secrets hygiene and hostile peers
# (docs/security.md). Root; they run against the plain build's programs.

TEST_PROGS += tests/security/daemon_confined.sh
