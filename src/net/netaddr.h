/* netaddr — IP addresses and CIDR lists: which address a request really comes
 * from when it passes through reverse proxies the operator trusts.
 *
 * Owns: a parsed list of networks (config `trusted_proxies`). A forwarded
 * address (X-Forwarded-For, X-Real-IP) is believed only when the peer that
 * sent it is in the list; then the right-most hop that is not a trusted proxy
 * is the client (hops to its left were written by the client itself and can
 * say anything). Pure: no I/O, no locks; a parsed list is read-only. */
#ifndef ECOGOV_NETADDR_H
#define ECOGOV_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

#define NETADDR_TEXT 64 /* room for any address in text form */

struct netaddr_list;

/* Parses "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8" (commas or spaces; a bare
 * address is a /32 or /128). "" is the empty list. NULL with a message in
 * err when an entry is not an address or prefix. */
struct netaddr_list *netaddr_list_parse(const char *text, char *err, size_t errlen);
void netaddr_list_free(struct netaddr_list *l);
/* Whether addr (text; IPv4-mapped IPv6 counts as IPv4) is in one of the
 * networks. False for text that is not an address. */
bool netaddr_list_contains(const struct netaddr_list *l, const char *addr);

/* The client address of a request from peer (text) that carried forwarded
 * (X-Forwarded-For value or NULL) and real_ip (X-Real-IP value or NULL):
 * peer itself unless peer is trusted; else the right-most forwarded hop that
 * is not trusted (X-Real-IP when there is no X-Forwarded-For). A malformed
 * hop ends the walk: the last address known good is used. Written to out,
 * normalised (IPv4-mapped IPv6 as IPv4). */
void netaddr_client(const struct netaddr_list *trusted, const char *peer, const char *forwarded,
                    const char *real_ip, char *out, size_t size);

#endif
