/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef AMTSCA_HELLO_REASON_H
#define AMTSCA_HELLO_REASON_H

/* One sentence an operator can act on, for each enum amt_hello_reason. */
const char *amt_hello_reason_desc(int reason);

#endif /* AMTSCA_HELLO_REASON_H */
