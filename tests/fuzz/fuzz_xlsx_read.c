/* Fuzz target for core/xlsx_read: any bytes as an uploaded .xlsx. A read
 * that succeeds must give a table within the cell bound whose cells are
 * NUL-terminated strings; a refusal must say why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    const size_t max_cells = 4096;
    if (xlsx_read(data, size, NULL, max_cells, &s, err) != 0) {
        if (err[0] == '\0' || s.cells)
            abort();
        return 0;
    }
    if (s.nrows * s.ncols > max_cells)
        abort();
    for (size_t r = 0; r < s.nrows; r++)
        for (size_t c = 0; c < s.ncols; c++) {
            const char *v = xlsx_cell(&s, r, c);
            if (v && strlen(v) == 0)
                abort(); /* empty cells are NULL */
        }
    xlsx_sheet_free(&s);
    return 0;
}
