/* dynlib — a shared library opened at its first use (dynlib.h). */
#include "core/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int dynlib_open(const char *soname, const char *const *names, void **slots, size_t count, char *why,
                size_t why_len)
{
    /* Never closed: the addresses stay valid for the process's life, and a
     * second open of the same soname returns the same handle. */
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *msg = dlerror();
        snprintf(why, why_len, "cannot load %s: %s", soname, msg ? msg : "unknown error");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        dlerror();
        slots[i] = dlsym(handle, names[i]);
        if (!slots[i]) {
            snprintf(why, why_len, "%s has no %s", soname, names[i]);
            return -1;
        }
    }
    return 0;
}

void dynlib_fill(void *table, void *const *slots, size_t size)
{
    memcpy(table, slots, size);
}
