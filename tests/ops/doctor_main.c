// SPDX-License-Identifier: GPL-2.0-only
/*
 * amtscactl-doctor: amtscactl_doctor() as a program of its own, so
 * tests/ops/doctor.sh runs the command however amtscactl's dispatch is
 * wired.
 */
#include "doctor.h"

int main(int argc, char **argv)
{
	return amtscactl_doctor(argc, argv);
}
