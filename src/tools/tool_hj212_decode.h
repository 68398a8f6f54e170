/* tool_hj212_decode — `ecogov hj212 decode`: raw bytes in, one compact JSON object per
 * frame found out (docs/hj212.md gives the shape; values stay the decimal strings sent).
 *
 * Owns: the read loop over the byte stream and the JSON of each scan result, written
 * straight into a buffer (tool_jsonw) instead of a jansson tree per frame. */
#ifndef ECOGOV_TOOL_HJ212_DECODE_H
#define ECOGOV_TOOL_HJ212_DECODE_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses shared by the hj212 subcommands. */
#define TOOL_HJ212_EXIT_OK 0
#define TOOL_HJ212_EXIT_REJECTED 1
#define TOOL_HJ212_EXIT_USAGE 2
#define TOOL_HJ212_EXIT_IO 3

/* Decodes everything in `in`, writing one line per frame or rejection to `out`.
 * max_frame: largest frame accepted (hj212_scan); items: also list every CP item as
 * [key, value] in wire order. Returns TOOL_HJ212_EXIT_OK, _REJECTED (some frame rejected)
 * or _IO (read or write error, said on stderr). */
int tool_hj212_decode_run(FILE *in, FILE *out, size_t max_frame, int items);

#endif
