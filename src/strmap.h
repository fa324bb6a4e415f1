/* strmap.h: a string-keyed hash map to 64-bit values (ids to row numbers,
 * duplicate checks). Keys are copied. Nothing of files or databases. */
#ifndef ATLAS_STRMAP_H
#define ATLAS_STRMAP_H

#include <stddef.h>

typedef struct atlas_strmap atlas_strmap;

/* Returns an empty map the caller frees with atlas_strmap_free(), or NULL
 * when out of memory. */
atlas_strmap *atlas_strmap_new(void);
void atlas_strmap_free(atlas_strmap *m);
/* Sets KEY to VAL. Returns 1 if KEY was new, 0 if replaced, -1 on no
 * memory (the map is unchanged). */
int atlas_strmap_put(atlas_strmap *m, const char *key, long long val);
/* 1 and *VAL when KEY is there, else 0. VAL may be NULL. */
int atlas_strmap_get(const atlas_strmap *m, const char *key, long long *val);
/* Removes KEY if there. */
void atlas_strmap_del(atlas_strmap *m, const char *key);
size_t atlas_strmap_count(const atlas_strmap *m);
void atlas_strmap_clear(atlas_strmap *m);

#endif /* ATLAS_STRMAP_H */
