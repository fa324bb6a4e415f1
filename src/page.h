/* page.h: what the page makers (handouts, series) share: paper sizes,
 * text set with pango and PDF surfaces with fixed metadata (the map's
 * legend speaks the reader's language through render's opts.tr). Units are CSS
 * px (1/96 inch), as in layout.h and render_cairo.h. Only callers that draw
 * include this: it brings cairo and pango in. */
#ifndef ATLAS_PAGE_H
#define ATLAS_PAGE_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "error.h"
#include "i18n.h"
#include "style.h"

/* Margins printers keep: 15 mm on every side. */
#define ATLAS_PAGE_MARGIN (15 * 96 / 25.4)
#define ATLAS_PAGE_FONT "DejaVu Sans"

/* The size of PAPER ("a4" or "letter"), portrait or LANDSCAPE, in px.
 * Fails with ATLAS_E_INPUT naming "--paper". */
atlas_status atlas_page_paper(const char *paper, int landscape, double *w,
                              double *h, atlas_error *err);

/* Text flags for atlas_page_text(). */
#define ATLAS_TEXT_BOLD 1
#define ATLAS_TEXT_ITALIC 2
#define ATLAS_TEXT_RIGHT 4
#define ATLAS_TEXT_CENTER 8

/* Sets TEXT (plain: never read as markup) in PL at SIZE px, wrapped to
 * width W (0: no wrapping), and draws it with its top-left at X, Y in
 * CR's current source when DRAW. Returns the height it takes. */
double atlas_page_text(cairo_t *cr, PangoLayout *pl, const char *text, double x,
                       double y, double w, double size, int flags, int draw);

/* The PDF date for metadata: SOURCE_DATE_EPOCH when set, else a fixed
 * date, so the same inputs make the same file. */
void atlas_page_pdf_date(char *buf, size_t size);

/* cairo's write function for a FILE * closure (atlas_outfile's fp). */
cairo_status_t atlas_page_write(void *closure, const unsigned char *data,
                                unsigned int len);

/* A PDF surface of W x H px (in points: 0.75 of that) writing to FP,
 * with TITLE and fixed dates as metadata. The caller destroys it and
 * checks its status. */
cairo_surface_t *atlas_page_pdf_create(FILE *fp, double w, double h,
                                       const char *title);

/* Finishes SURF (any cairo surface writing a file) and reports cairo's
 * sticky error as "PATH: cannot write: why". */
atlas_status atlas_page_finish(cairo_surface_t *surf, const char *path,
                               atlas_error *err);

/* The path of a shipped style ("styles/print-bw.json"): here when it
 * exists, else in the source tree. Borrowed (static). */
const char *atlas_page_style_path(const char *rel);

#endif /* ATLAS_PAGE_H */
