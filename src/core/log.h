/* log — leveled, line-oriented logging to stderr (or a file), thread-safe.
 *
 * Owns: the log destination and level. Every line carries a Beijing-time
 * timestamp and the level; one write(2) per line so threads never interleave. */
#ifndef ECOGOV_LOG_H
#define ECOGOV_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* Parses "debug|info|warn|error"; returns 0 or -1. */
int log_parse_level(const char *s, enum log_level *out);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
