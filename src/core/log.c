#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum log_level log_level_now = LOG_INFO;
static const char *const log_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
    log_level_now = level;
}

int log_parse_level(const char *s, enum log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, log_names[i])) {
            *out = (enum log_level)i;
            return 0;
        }
    return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level < log_level_now)
        return;
    char line[4096], msg[2048];
    char ts[32];
    timeutil_format_iso(timeutil_now(), ts, sizeof ts);
    int n = snprintf(line, sizeof line, "%s %-5s ", ts, log_names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t mlen = m < 0 ? 0 : (size_t)m < sizeof msg ? (size_t)m : sizeof msg - 1;
    /* One entry is one line whatever the message holds (a URL path, a device
     * frame, a user name): control characters are written escaped. */
    size_t len = (size_t)n + text_escape(msg, mlen, line + n, sizeof line - (size_t)n - 1, NULL);
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
