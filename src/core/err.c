#include "core/err.h"

struct err_row {
    int status;
    const char *code;
    const char *message;
};

static const struct err_row err_rows[] = {
#define ERR_ROW(name, status, code, msg) {status, code, msg},
    ERR_MAP(ERR_ROW)
#undef ERR_ROW
};

static const struct err_row *err_row_of(enum err e)
{
    return (unsigned)e < ERR__COUNT ? &err_rows[e] : &err_rows[ERR_INTERNAL];
}

int err_http_status(enum err e)
{
    return err_row_of(e)->status;
}

const char *err_code(enum err e)
{
    return err_row_of(e)->code;
}

const char *err_message(enum err e)
{
    return err_row_of(e)->message;
}
