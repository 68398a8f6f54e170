#include "net/netaddr.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An address as 16 bytes; IPv4 as IPv4-mapped IPv6, so one compare serves
 * both families (a /24 of IPv4 is a /120 here). */
struct netaddr_net {
    unsigned char addr[16];
    unsigned bits;
};

struct netaddr_list {
    size_t n;
    struct netaddr_net nets[];
};

static const unsigned char netaddr_v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* Parses one address (no prefix) of at most len bytes; 4 or 6 for its family
 * (a mapped IPv6 address counts as 4), 0 when it is not one. */
static int netaddr_parse(const char *s, size_t len, unsigned char out[16])
{
    char text[NETADDR_TEXT];
    if (!len || len >= sizeof text)
        return 0;
    memcpy(text, s, len);
    text[len] = '\0';
    if (inet_pton(AF_INET, text, out + 12) == 1) {
        memcpy(out, netaddr_v4_prefix, 12);
        return 4;
    }
    if (inet_pton(AF_INET6, text, out) == 1)
        return memcmp(out, netaddr_v4_prefix, 12) ? 6 : 4;
    return 0;
}

static void netaddr_format(const unsigned char a[16], char *out, size_t size)
{
    if (!memcmp(a, netaddr_v4_prefix, 12))
        inet_ntop(AF_INET, a + 12, out, (socklen_t)size);
    else
        inet_ntop(AF_INET6, a, out, (socklen_t)size);
}

/* One list entry "ADDR" or "ADDR/BITS". 0, or -1 when malformed. */
static int netaddr_parse_net(const char *s, size_t len, struct netaddr_net *net)
{
    const char *slash = memchr(s, '/', len);
    int family = netaddr_parse(s, slash ? (size_t)(slash - s) : len, net->addr);
    if (!family)
        return -1;
    unsigned max = family == 4 ? 32 : 128, bits = max;
    if (slash) {
        const char *d = slash + 1, *end = s + len;
        if (d == end || end - d > 3)
            return -1;
        bits = 0;
        for (; d < end; d++) {
            if (*d < '0' || *d > '9')
                return -1;
            bits = bits * 10 + (unsigned)(*d - '0');
        }
        if (bits > max)
            return -1;
    }
    net->bits = family == 4 ? bits + 96 : bits;
    return 0;
}

struct netaddr_list *netaddr_list_parse(const char *text, char *err, size_t errlen)
{
    size_t cap = 1;
    for (const char *c = text; *c; c++)
        cap += *c == ',' || *c == ' ';
    struct netaddr_list *l = xcalloc(1, sizeof *l + cap * sizeof l->nets[0]);
    const char *p = text;
    while (*p) {
        size_t skip = strspn(p, ", \t");
        p += skip;
        size_t len = strcspn(p, ", \t");
        if (!len)
            break;
        if (netaddr_parse_net(p, len, &l->nets[l->n])) {
            snprintf(err, errlen, "'%.*s' is not an IP address or CIDR prefix",
                     (int)(len > 60 ? 60 : len), p);
            free(l);
            return NULL;
        }
        l->n++;
        p += len;
    }
    return l;
}

void netaddr_list_free(struct netaddr_list *l)
{
    free(l);
}

static bool netaddr_in(const struct netaddr_net *net, const unsigned char a[16])
{
    unsigned whole = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, a, whole))
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[whole] & mask) == (a[whole] & mask);
}

static bool netaddr_list_has(const struct netaddr_list *l, const unsigned char a[16])
{
    for (size_t i = 0; l && i < l->n; i++)
        if (netaddr_in(&l->nets[i], a))
            return true;
    return false;
}

bool netaddr_list_contains(const struct netaddr_list *l, const char *addr)
{
    unsigned char a[16];
    return netaddr_parse(addr, strlen(addr), a) && netaddr_list_has(l, a);
}

/* Trims spaces and tabs around s[0..*len). */
static const char *netaddr_trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t'))
        s++, (*len)--;
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

void netaddr_client(const struct netaddr_list *trusted, const char *peer, const char *forwarded,
                    const char *real_ip, char *out, size_t size)
{
    unsigned char best[16], a[16];
    if (!netaddr_parse(peer, strlen(peer), best)) {
        snprintf(out, size, "%s", peer);
        return;
    }
    const char *hops = forwarded && *forwarded ? forwarded : real_ip;
    /* Right to left: each hop is believed only while the one after it (the
     * machine that wrote it) is a trusted proxy. */
    for (const char *end = hops ? hops + strlen(hops) : NULL;
         end && netaddr_list_has(trusted, best);) {
        const char *start = end;
        while (start > hops && start[-1] != ',')
            start--;
        size_t len = (size_t)(end - start);
        const char *hop = netaddr_trim(start, &len);
        if (!netaddr_parse(hop, len, a))
            break;
        memcpy(best, a, sizeof a);
        if (start == hops)
            break;
        end = start - 1;
    }
    netaddr_format(best, out, size);
}
