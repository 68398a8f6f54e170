/* dbf_text — opening a Shapefile and reading the text of a Shapefile's .dbf attribute as UTF-8.
 * Chinese GIS exports write either UTF-8 or GB18030 (GBK) without saying which (the .cpg file is
 * often missing), so valid UTF-8 is kept and anything else is read as GB18030. Shared by every
 * Shapefile reader (siting units, river reaches). */
#ifndef ECOGOV_DBF_TEXT_H
#define ECOGOV_DBF_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <shapefil.h>
#include <stddef.h>

/* s without its trailing blanks (dBase pads with spaces) as new UTF-8 text
 * (free()), or NULL when it is neither UTF-8 nor GB18030. */
char *dbf_text(const char *s);

/* The text fields of record rec of a .dbf (shapelib's DBFHandle) that are
 * present and not empty, as a JSON object {field: UTF-8 text} (new
 * reference); NULL with *bad naming the field when one is neither UTF-8 nor
 * GB18030. */
json_t *dbf_text_fields(DBFHandle dbf, int rec, const char *const *fields, size_t n,
                        const char **bad);

/* Opens a Shapefile's .shp and .dbf (path of the .shp; the .shx beside it
 * too) and reads its record count and shape type: true with both open,
 * false with a message in err and neither open. */
bool shp_open_pair(const char *path, SHPHandle *shp, DBFHandle *dbf, int *count, int *type,
                   char *err, size_t errlen);

#endif
