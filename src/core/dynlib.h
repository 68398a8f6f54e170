/* dynlib — a shared library opened at its first use instead of at start-up.
 *
 * Every command of the one `ecogov` binary paid for loading every library
 * any command needs (~100 objects, ~20 ms of CPU before main). A library
 * only a few commands use (PROJ, GEOS, OpenBLAS, pango/cairo, lunar-date)
 * is opened by its user through a typed table of function pointers instead:
 *
 *     #define PDF_API(X) X(cairo_move_to) X(pango_layout_new)
 *     struct pdf_api { PDF_API(DYNLIB_FIELD) };
 *     ... DYNLIB_ONCE(pdf_api, "libpangocairo-1.0.so.0", PDF_API)
 *
 * The fields take their types from the library's own header (__typeof__),
 * so a call through the table is checked exactly as a direct call is. */
#ifndef ECOGOV_DYNLIB_H
#define ECOGOV_DYNLIB_H

#include <pthread.h>
#include <stddef.h>

/* One field of a table: a pointer to the function `fn` as declared. */
#define DYNLIB_FIELD(fn) __typeof__(&fn) fn;

/* Opens `soname` (its dependencies come with it) and fills `count` slots with
 * the addresses of `names`, in order. 0 on success; -1 with `why` set (the
 * dynamic loader's message: library not installed, symbol missing). */
int dynlib_open(const char *soname, const char *const *names, void **slots, size_t count, char *why,
                size_t why_len);

#define DYNLIB_NAME(fn) #fn,
#define DYNLIB_SLOT(fn) (void *)0,

/* Defines `static const struct name *name##_get(const char **why)`: the table,
 * loaded once (thread-safe) at the first call; NULL and a message that names
 * the library when it cannot be loaded. The table is a struct of function
 * pointers only, read as an array of `void *` (POSIX: dlsym's addresses are
 * function pointers of the same size). */
#define DYNLIB_ONCE(name, soname, LIST)                                                            \
    static struct name name##_table;                                                               \
    static int name##_status = -1;                                                                 \
    static char name##_why[256];                                                                   \
    static pthread_once_t name##_once = PTHREAD_ONCE_INIT;                                         \
    static void name##_load(void)                                                                  \
    {                                                                                              \
        static const char *const names[] = {LIST(DYNLIB_NAME)};                                    \
        void *slots[sizeof names / sizeof names[0]] = {LIST(DYNLIB_SLOT)};                         \
        _Static_assert(sizeof(struct name) == sizeof slots, "a table holds only its functions");   \
        name##_status = dynlib_open(soname, names, slots, sizeof names / sizeof names[0],          \
                                    name##_why, sizeof name##_why);                                \
        if (name##_status == 0)                                                                    \
            dynlib_fill(&name##_table, slots, sizeof slots);                                       \
    }                                                                                              \
    static const struct name *name##_get(const char **why)                                         \
    {                                                                                              \
        pthread_once(&name##_once, name##_load);                                                   \
        if (name##_status != 0) {                                                                  \
            *why = name##_why;                                                                     \
            return NULL;                                                                           \
        }                                                                                          \
        return &name##_table;                                                                      \
    }

/* Copies the loaded addresses into a table of as many function pointers. */
void dynlib_fill(void *table, void *const *slots, size_t size);

#endif
