/* curl_lazy — libcurl opened at its first use, behind libcurl's own functions.
 *
 * Only the server's outbound fetches (net/fetch.c) and the monitor's HTTP client
 * (modules/monitor/chttp.c) use libcurl, but linked into the one `ecogov` binary it made
 * every command load its ~19 objects (OpenSSL, Kerberos, LDAP, libssh2, nghttp2 ...) and
 * resolve their symbols before main: a do-nothing main linked with the same libraries
 * starts in 6.6-7.6 ms of CPU with libcurl and 4.75 ms without (docs/performance.md, HJ 212
 * decoding, session 7). libcurl is therefore opened at first use (Makefile: DLOPEN_PKGS),
 * and this file defines the libcurl functions those two callers use, with libcurl's own
 * prototypes (curl/curl.h), each forwarding to the real one through a core/dynlib table. The
 * callers are unchanged.
 *
 * When libcurl cannot be loaded, curl_global_init fails (CURLE_FAILED_INIT) and
 * curl_easy_init returns NULL, which the callers already report ("libcurl could not be
 * initialised"); the loader's reason is written to stderr once. */

/* the type-checking macros would rename the definitions below */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "core/dynlib.h"

#include <stdarg.h>
#include <stdio.h>

#define CURL_LAZY_API(X)                                                                           \
    X(curl_global_init)                                                                            \
    X(curl_easy_init)                                                                              \
    X(curl_easy_setopt)                                                                            \
    X(curl_easy_perform)                                                                           \
    X(curl_easy_getinfo)                                                                           \
    X(curl_easy_cleanup)                                                                           \
    X(curl_easy_reset)                                                                             \
    X(curl_easy_strerror)                                                                          \
    X(curl_easy_escape)                                                                            \
    X(curl_free)

struct curl_lazy_api {
    CURL_LAZY_API(DYNLIB_FIELD)
};

DYNLIB_ONCE(curl_lazy_api, "libcurl.so.4", CURL_LAZY_API)

static pthread_once_t curl_lazy_told = PTHREAD_ONCE_INIT;

static void curl_lazy_tell(void)
{
    const char *why = "libcurl could not be loaded";
    curl_lazy_api_get(&why); /* loaded (and failed) already: only the reason */
    fprintf(stderr, "ecogov: %s\n", why);
}

/* The table, or NULL (and the reason on stderr, once) when libcurl cannot be loaded. */
static const struct curl_lazy_api *curl_lazy(void)
{
    const char *why = NULL;
    const struct curl_lazy_api *api = curl_lazy_api_get(&why);
    if (!api)
        pthread_once(&curl_lazy_told, curl_lazy_tell);
    return api;
}

CURLcode curl_global_init(long flags)
{
    const struct curl_lazy_api *api = curl_lazy();
    return api ? api->curl_global_init(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
    const struct curl_lazy_api *api = curl_lazy();
    return api ? api->curl_easy_init() : NULL;
}

/* The third argument's type follows from the option's number (curl.h: CURLOPTTYPE_*),
 * which is how libcurl reads it too. */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
    const struct curl_lazy_api *api = curl_lazy();
    if (!api)
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, option);
    CURLcode rc;
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = api->curl_easy_setopt(curl, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = api->curl_easy_setopt(curl, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = api->curl_easy_setopt(curl, option, va_arg(ap, void (*)(void)));
    else if (option < CURLOPTTYPE_BLOB)
        rc = api->curl_easy_setopt(curl, option, va_arg(ap, curl_off_t));
    else
        rc = api->curl_easy_setopt(curl, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
    const struct curl_lazy_api *api = curl_lazy();
    return api ? api->curl_easy_perform(curl) : CURLE_FAILED_INIT;
}

/* Every CURLINFO_* takes a pointer. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
    const struct curl_lazy_api *api = curl_lazy();
    if (!api)
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode rc = api->curl_easy_getinfo(curl, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

void curl_easy_cleanup(CURL *curl)
{
    const struct curl_lazy_api *api = curl_lazy();
    if (api)
        api->curl_easy_cleanup(curl);
}

void curl_easy_reset(CURL *curl)
{
    const struct curl_lazy_api *api = curl_lazy();
    if (api)
        api->curl_easy_reset(curl);
}

const char *curl_easy_strerror(CURLcode code)
{
    const struct curl_lazy_api *api = curl_lazy();
    return api ? api->curl_easy_strerror(code) : "libcurl could not be loaded";
}

char *curl_easy_escape(CURL *curl, const char *string, int length)
{
    const struct curl_lazy_api *api = curl_lazy();
    return api ? api->curl_easy_escape(curl, string, length) : NULL;
}

void curl_free(void *p)
{
    const struct curl_lazy_api *api = curl_lazy();
    if (api)
        api->curl_free(p);
}
