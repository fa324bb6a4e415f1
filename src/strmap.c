/* strmap.c: open addressing with linear probing and tombstones; the table
 * doubles at 70% load. FNV-1a hashing is enough for slugs. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key; /* NULL: empty; TOMB: deleted */
    long long val;
    uint64_t hash;
} slot;

static char tomb_mark;
#define TOMB (&tomb_mark)

struct atlas_strmap {
    slot *slots;
    size_t cap;  /* power of two */
    size_t n;    /* live keys */
    size_t used; /* live keys + tombstones */
};

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

atlas_strmap *
atlas_strmap_new(void)
{
    atlas_strmap *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (m->slots == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

void
atlas_strmap_clear(atlas_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key != NULL && m->slots[i].key != TOMB)
            free(m->slots[i].key);
        m->slots[i].key = NULL;
    }
    m->n = m->used = 0;
}

void
atlas_strmap_free(atlas_strmap *m)
{
    if (m == NULL)
        return;
    atlas_strmap_clear(m);
    free(m->slots);
    free(m);
}

static slot *
find(const atlas_strmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (s->key == NULL)
            return NULL;
        if (s->key != TOMB && s->hash == h && strcmp(s->key, key) == 0)
            return s;
    }
}

static int
grow(atlas_strmap *m)
{
    size_t cap = m->n * 4 > m->cap ? m->cap * 2 : m->cap;
    slot *old = m->slots;
    size_t old_cap = m->cap;
    slot *slots = calloc(cap, sizeof *slots);

    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key == NULL || old[i].key == TOMB)
            continue;
        size_t j = old[i].hash & (cap - 1);
        while (slots[j].key != NULL)
            j = (j + 1) & (cap - 1);
        slots[j] = old[i];
    }
    free(old);
    m->slots = slots;
    m->cap = cap;
    m->used = m->n;
    return 0;
}

int
atlas_strmap_put(atlas_strmap *m, const char *key, long long val)
{
    uint64_t h = hash_str(key);
    slot *s = find(m, key, h);

    if (s != NULL) {
        s->val = val;
        return 0;
    }
    if ((m->used + 1) * 10 > m->cap * 7 && grow(m) < 0)
        return -1;
    char *copy = strdup(key);
    if (copy == NULL)
        return -1;
    size_t mask = m->cap - 1, i = h & mask;
    while (m->slots[i].key != NULL && m->slots[i].key != TOMB)
        i = (i + 1) & mask;
    if (m->slots[i].key == NULL)
        m->used++;
    m->slots[i].key = copy;
    m->slots[i].val = val;
    m->slots[i].hash = h;
    m->n++;
    return 1;
}

int
atlas_strmap_get(const atlas_strmap *m, const char *key, long long *val)
{
    slot *s = find(m, key, hash_str(key));
    if (s == NULL)
        return 0;
    if (val != NULL)
        *val = s->val;
    return 1;
}

void
atlas_strmap_del(atlas_strmap *m, const char *key)
{
    slot *s = find(m, key, hash_str(key));
    if (s == NULL)
        return;
    free(s->key);
    s->key = TOMB;
    m->n--;
}

size_t
atlas_strmap_count(const atlas_strmap *m)
{
    return m->n;
}
