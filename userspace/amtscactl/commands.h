/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef AMTSCACTL_COMMANDS_H
#define AMTSCACTL_COMMANDS_H

/* Exit codes shared by every amtscactl command. */
#define CTL_EXIT_OK 0
#define CTL_EXIT_FAILURE 1 /* I/O error, daemon unreachable or refusing */
#define CTL_EXIT_INVALID 2 /* the input itself is invalid */
#define CTL_EXIT_USAGE 64 /* bad command line (sysexits EX_USAGE) */

int cmd_hello(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_psk(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_backup(int argc, char **argv);

#endif /* AMTSCACTL_COMMANDS_H */
