/* static_files — serves the built web UI from a directory.
 *
 * Owns: path safety (no "..", no hidden files, no symlinks out of the root),
 * content types, precompressed .gz variants, ETags and cache policy: hashed
 * assets under /assets/ are immutable for a year, everything else revalidates.
 * Paths without a file extension fall back to index.html (the UI's router). */
#ifndef ECOGOV_STATIC_FILES_H
#define ECOGOV_STATIC_FILES_H

#include "net/http.h"

void static_serve(struct http_req *r, const char *root);

#endif
