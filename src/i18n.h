/* i18n.h: the fixed texts of handouts and series pages (titles, captions,
 * table headings, kind names, precision words) in the reader's language.
 * The texts live in data files, i18n/<lang>.json, one flat JSON object of
 * key -> text; a key missing from a language falls back to English.
 * Knows json-c; nothing of drawing or the store. */
#ifndef ATLAS_I18N_H
#define ATLAS_I18N_H

#include <stddef.h>

#include "error.h"

typedef struct atlas_i18n atlas_i18n;

/* The folder holding the language files: $ATLAS_I18N_DIR when set, else
 * "i18n" when it exists here, else the source tree's i18n/. Borrowed. */
const char *atlas_i18n_dir(void);

/* Loads language LANG ("en", "ru", "uk", "pl", ...) with English under it.
 * Returns a translation the caller frees with atlas_i18n_free(); on
 * failure NULL with ERR set: ATLAS_E_INPUT naming "--lang" and the
 * languages there are when LANG has no file, ATLAS_E_IO when a file
 * cannot be read or is not a JSON object of strings. */
atlas_i18n *atlas_i18n_load(const char *lang, atlas_error *err);
void atlas_i18n_free(atlas_i18n *tr);

/* The language code TR was loaded for. Borrowed from TR. */
const char *atlas_i18n_lang(const atlas_i18n *tr);

/* The text of KEY in TR's language, else in English, else KEY itself (so
 * a missing text shows, and is caught by the completeness test). Borrowed
 * from TR. */
const char *atlas_i18n_get(const atlas_i18n *tr, const char *key);

/* The translation of ENGLISH: the text in TR's language of the first key
 * starting with PREFIX whose English text is exactly ENGLISH; ENGLISH
 * itself when there is none. Borrowed from TR or the caller. */
const char *atlas_i18n_translate(const atlas_i18n *tr, const char *prefix,
                                 const char *english);

/* The text of KEY with each "{NAME}" replaced by the value following NAME
 * in VARS (name, value, ..., NULL), written to BUF of SIZE bytes
 * (truncated at a UTF-8 boundary). Returns BUF. */
char *atlas_i18n_format(const atlas_i18n *tr, const char *key, char *buf,
                        size_t size, const char *const *vars);

/* N with the language's digit grouping ("12,000", "12 000") into BUF. */
char *atlas_i18n_number(const atlas_i18n *tr, long long n, char *buf,
                        size_t size);

#endif /* ATLAS_I18N_H */
