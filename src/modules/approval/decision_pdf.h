/* approval decision_pdf — renders an official document (公文) of the bureau as
 * PDF with cairo and pango: the red header with the bureau's name, the
 * document number, the title, the addressee, the body paragraphs (wrapped,
 * justified, first line indented, pages added as needed), the issuing bureau
 * and date at the right, and a QR code with its caption for verification.
 * Chinese text is laid out by pango with the fonts fontconfig finds (Noto
 * CJK, WenQuanYi: scripts/deps.sh installs fonts-wqy-microhei), embedded as
 * subsets, so the text can be extracted (pdftotext) and the file read
 * without the fonts. Knows nothing of applications. */
#ifndef ECOGOV_APPROVAL_DECISION_PDF_H
#define ECOGOV_APPROVAL_DECISION_PDF_H

#include <jansson.h>
#include <stddef.h>

struct decision_pdf {
    const char *bureau;     /* the header and the signature */
    const char *doc_no;     /* 景环审〔2026〕12号 */
    const char *title;      /* 关于…的批复 */
    const char *addressee;  /* the enterprise, followed by "：" */
    json_t *paragraphs;     /* array of strings, each a paragraph */
    const char *date_zh;    /* 2026年10月13日 */
    const char *qr_text;    /* encoded in the QR code (a URL); NULL = none */
    const char *qr_caption; /* printed beside it */
};

/* The document as PDF bytes in *out (malloc'd, *len bytes). 0, or -1 when
 * it could not be rendered (logged). */
int decision_pdf_render(const struct decision_pdf *d, char **out, size_t *len);

#endif
