/* approval decision_pdf — the 公文 layout on A4 with cairo's PDF surface and
 * pango (decision_pdf.h). */
#include "modules/approval/decision_pdf.h"
#include "core/buf.h"
#include "core/dynlib.h"
#include "core/log.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdbool.h>
#include <string.h>

#define PDF_W 595.28 /* A4 in points */
#define PDF_H 841.89
#define PDF_LEFT 79.0 /* GB/T 9704: 28 mm left, 26 mm right, 37 mm top, 35 mm bottom */
#define PDF_RIGHT 74.0
#define PDF_TOP 105.0
#define PDF_BOTTOM 99.0
#define PDF_FONTS "Noto Serif CJK SC,Noto Sans CJK SC,WenQuanYi Micro Hei,sans-serif"
#define PDF_MAX (8L << 20) /* a decision is a few pages: bound the buffer */

/* pango and cairo (with GLib, fontconfig, freetype, harfbuzz, pixman), opened
 * by the first decision rendered rather than by every command at start-up
 * (core/dynlib.h). */
/* clang-format off */
#define PDF_API(X)                              \
    X(cairo_create)                             \
    X(cairo_destroy)                            \
    X(cairo_fill)                               \
    X(cairo_line_to)                            \
    X(cairo_move_to)                            \
    X(cairo_pdf_surface_create_for_stream)      \
    X(cairo_pdf_surface_set_metadata)           \
    X(cairo_rectangle)                          \
    X(cairo_restore)                            \
    X(cairo_save)                               \
    X(cairo_set_line_width)                     \
    X(cairo_set_source_rgb)                     \
    X(cairo_show_page)                          \
    X(cairo_stroke)                             \
    X(cairo_surface_destroy)                    \
    X(cairo_surface_finish)                     \
    X(cairo_surface_status)                     \
    X(cairo_translate)                          \
    X(g_object_unref)                           \
    X(pango_cairo_font_map_new)                 \
    X(pango_cairo_show_layout_line)             \
    X(pango_cairo_update_context)               \
    X(pango_cairo_update_layout)                \
    X(pango_font_description_free)              \
    X(pango_font_description_from_string)       \
    X(pango_font_description_set_absolute_size) \
    X(pango_font_description_set_weight)        \
    X(pango_font_map_create_context)            \
    X(pango_layout_get_iter)                    \
    X(pango_layout_iter_free)                   \
    X(pango_layout_iter_get_baseline)           \
    X(pango_layout_iter_get_line_extents)       \
    X(pango_layout_iter_get_line_readonly)      \
    X(pango_layout_iter_next_line)              \
    X(pango_layout_new)                         \
    X(pango_layout_set_alignment)               \
    X(pango_layout_set_font_description)        \
    X(pango_layout_set_indent)                  \
    X(pango_layout_set_justify)                 \
    X(pango_layout_set_text)                    \
    X(pango_layout_set_width)                   \
    X(pango_layout_set_wrap)
/* clang-format on */
struct pdf_api {
    PDF_API(DYNLIB_FIELD)
};
DYNLIB_ONCE(pdf_api, "libpangocairo-1.0.so.0", PDF_API)

/* Where the next line goes, on which page. */
struct pdf_pen {
    const struct pdf_api *lib;
    cairo_t *cr;
    PangoContext *pc; /* of a font map of this document's own */
    double y;
};

#if defined(__SANITIZE_ADDRESS__)
/* Fontconfig drops a few hundred bytes once while it parses its
 * configuration (inside libfontconfig, before any of our calls return):
 * not ours to free, and reported by LeakSanitizer at every exit of a
 * process that rendered a document. The sanitizer reads this hook. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    return buf_append(closure, data, length) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Starts a new page when h more points do not fit. */
static void pdf_room(struct pdf_pen *pen, double h)
{
    if (pen->y + h > PDF_H - PDF_BOTTOM) {
        pen->lib->cairo_show_page(pen->cr);
        pen->y = PDF_TOP;
    }
}

/* Lays text out in the text column and draws it line by line, breaking
 * pages between lines. size in points; indent of the first line in ems. */
static void pdf_text(struct pdf_pen *pen, const char *text, double size, bool bold,
                     PangoAlignment align, double indent, double leading)
{
    PangoLayout *layout = pen->lib->pango_layout_new(pen->pc);
    pen->lib->pango_cairo_update_layout(pen->cr, layout);
    PangoFontDescription *fd = pen->lib->pango_font_description_from_string(PDF_FONTS);
    pen->lib->pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pen->lib->pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pen->lib->pango_layout_set_font_description(layout, fd);
    pen->lib->pango_layout_set_width(layout, (int)((PDF_W - PDF_LEFT - PDF_RIGHT) * PANGO_SCALE));
    pen->lib->pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pen->lib->pango_layout_set_alignment(layout, align);
    pen->lib->pango_layout_set_justify(layout, align == PANGO_ALIGN_LEFT);
    pen->lib->pango_layout_set_indent(layout, (int)(indent * size * PANGO_SCALE));
    pen->lib->pango_layout_set_text(layout, text, -1);
    PangoLayoutIter *it = pen->lib->pango_layout_get_iter(layout);
    do {
        PangoRectangle logical;
        pen->lib->pango_layout_iter_get_line_extents(it, NULL, &logical);
        double h = (double)logical.height / PANGO_SCALE;
        pdf_room(pen, h * leading);
        double base =
            (double)(pen->lib->pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
        pen->lib->cairo_move_to(pen->cr, PDF_LEFT + (double)logical.x / PANGO_SCALE, pen->y + base);
        pen->lib->pango_cairo_show_layout_line(pen->cr,
                                               pen->lib->pango_layout_iter_get_line_readonly(it));
        pen->y += h * leading;
    } while (pen->lib->pango_layout_iter_next_line(it));
    pen->lib->pango_layout_iter_free(it);
    pen->lib->pango_font_description_free(fd);
    pen->lib->g_object_unref(layout);
}

/* The QR code at the left of the text column with its caption beside it. */
static int pdf_qr(struct pdf_pen *pen, const char *text, const char *caption)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return -1;
    const double cell = 2.2, side = qr->width * cell;
    pdf_room(pen, side + 12);
    double x0 = PDF_LEFT, y0 = pen->y + 6;
    pen->lib->cairo_set_source_rgb(pen->cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++)
        for (int c = 0; c < qr->width; c++)
            if (qr->data[r * qr->width + c] & 1)
                pen->lib->cairo_rectangle(pen->cr, x0 + c * cell, y0 + r * cell, cell, cell);
    pen->lib->cairo_fill(pen->cr);
    QRcode_free(qr);
    struct pdf_pen beside = {pen->lib, pen->cr, pen->pc, y0 + side / 2 - 10};
    pen->lib->cairo_save(pen->cr);
    pen->lib->cairo_translate(pen->cr, side + 12, 0);
    pdf_text(&beside, caption, 9, false, PANGO_ALIGN_LEFT, 0, 1.3);
    pen->lib->cairo_restore(pen->cr);
    pen->y = y0 + side + 6;
    return 0;
}

/* The header: the bureau in red, the number, the red rule. */
static void pdf_header(struct pdf_pen *pen, const struct decision_pdf *d)
{
    pen->lib->cairo_set_source_rgb(pen->cr, 0.8, 0, 0);
    pdf_text(pen, d->bureau, 26, true, PANGO_ALIGN_CENTER, 0, 1.4);
    pen->lib->cairo_set_source_rgb(pen->cr, 0, 0, 0);
    pen->y += 8;
    pdf_text(pen, d->doc_no, 14, false, PANGO_ALIGN_CENTER, 0, 1.4);
    pen->lib->cairo_set_source_rgb(pen->cr, 0.8, 0, 0);
    pen->lib->cairo_set_line_width(pen->cr, 1.5);
    pen->lib->cairo_move_to(pen->cr, PDF_LEFT, pen->y + 4);
    pen->lib->cairo_line_to(pen->cr, PDF_W - PDF_RIGHT, pen->y + 4);
    pen->lib->cairo_stroke(pen->cr);
    pen->lib->cairo_set_source_rgb(pen->cr, 0, 0, 0);
    pen->y += 24;
}

int decision_pdf_render(const struct decision_pdf *d, char **out, size_t *len)
{
    const char *why = NULL;
    const struct pdf_api *lib = pdf_api_get(&why);
    if (!lib) {
        log_error("approval: the decision document could not be rendered: %s", why);
        return -1;
    }
    struct buf b;
    buf_init(&b, PDF_MAX);
    cairo_surface_t *s = lib->cairo_pdf_surface_create_for_stream(pdf_write, &b, PDF_W, PDF_H);
    lib->cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
    lib->cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->bureau);
    lib->cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "ecogov");
    cairo_t *cr = lib->cairo_create(s);
    /* a font map per document, released with it: the shared default one
     * would keep fontconfig's patterns per worker thread for good */
    PangoFontMap *fm = lib->pango_cairo_font_map_new();
    PangoContext *pc = lib->pango_font_map_create_context(fm);
    lib->pango_cairo_update_context(cr, pc);
    struct pdf_pen pen = {lib, cr, pc, PDF_TOP - 30};
    pdf_header(&pen, d);
    pdf_text(&pen, d->title, 18, true, PANGO_ALIGN_CENTER, 0, 1.5);
    pen.y += 10;
    pdf_text(&pen, d->addressee, 14, false, PANGO_ALIGN_LEFT, 0, 1.6);
    size_t i;
    json_t *para;
    json_array_foreach(d->paragraphs, i, para)
        pdf_text(&pen, json_string_value(para) ? json_string_value(para) : "", 14, false,
                 PANGO_ALIGN_LEFT, 2, 1.6);
    pen.y += 24;
    pdf_room(&pen, 60);
    pdf_text(&pen, d->bureau, 14, false, PANGO_ALIGN_RIGHT, 0, 1.6);
    pdf_text(&pen, d->date_zh, 14, false, PANGO_ALIGN_RIGHT, 0, 1.6);
    int rc = d->qr_text ? pdf_qr(&pen, d->qr_text, d->qr_caption ? d->qr_caption : "") : 0;
    lib->g_object_unref(pc);
    lib->g_object_unref(fm);
    lib->cairo_destroy(cr);
    lib->cairo_surface_finish(s);
    if (lib->cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = -1;
    lib->cairo_surface_destroy(s);
    if (rc) {
        log_error("approval: the decision document could not be rendered");
        buf_free(&b);
        return -1;
    }
    *out = buf_detach(&b, len);
    return 0;
}
