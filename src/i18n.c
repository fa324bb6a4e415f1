/* i18n.c: language files for the fixed texts of handouts and series.
 * Reads i18n/<lang>.json with json-c, falls back to English per key, and
 * formats templates and numbers. Knows nothing of what the texts mean. */
#include "i18n.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct atlas_i18n {
    char lang[16];
    json_object *tr; /* the language's texts; NULL for English */
    json_object *en; /* English, always there */
};

const char *
atlas_i18n_dir(void)
{
    const char *env = getenv("ATLAS_I18N_DIR");
    struct stat sb;

    if (env != NULL && *env != '\0')
        return env;
    if (stat("i18n/en.json", &sb) == 0)
        return "i18n";
#ifdef ATLAS_SOURCE_DIR
    return ATLAS_SOURCE_DIR "/i18n";
#else
    return "i18n";
#endif
}

/* 1 when S looks like a language code ("en", "pt-BR"): no path can hide
 * in it. */
static int
valid_lang(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 8)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)s[i]) && s[i] != '-')
            return 0;
    return 1;
}

/* The languages with a file in DIR, "en, pl, ..." sorted, into BUF. */
static void
list_langs(const char *dir, char *buf, size_t size)
{
    char names[32][16];
    size_t n = 0, len = 0;
    DIR *d = opendir(dir);
    struct dirent *de;

    buf[0] = '\0';
    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL && n < 32) {
        size_t l = strlen(de->d_name);
        if (l < 6 || l - 5 >= sizeof names[0] ||
            strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        memcpy(names[n], de->d_name, l - 5);
        names[n][l - 5] = '\0';
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0],
          (int (*)(const void *, const void *))strcmp);
    for (size_t i = 0; i < n && len + 20 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                                names[i]);
}

/* Reads DIR/LANG.json: a JSON object whose values are all strings. */
static json_object *
read_lang(const char *dir, const char *lang, atlas_error *err)
{
    char path[4096];
    json_object *obj;

    snprintf(path, sizeof path, "%s/%s.json", dir, lang);
    obj = json_object_from_file(path);
    if (obj == NULL) {
        atlas_error_set(err, ATLAS_E_IO, "%s: cannot read: %s", path,
                        json_util_get_last_err() ? json_util_get_last_err()
                                                 : "not JSON");
        return NULL;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        atlas_error_set(err, ATLAS_E_IO, "%s: expected a JSON object", path);
        return NULL;
    }
    json_object_object_foreach(obj, key, val)
    {
        if (!json_object_is_type(val, json_type_string)) {
            atlas_error_set(err, ATLAS_E_IO, "%s: \"%s\": expected a string",
                            path, key);
            json_object_put(obj);
            return NULL;
        }
    }
    return obj;
}

atlas_i18n *
atlas_i18n_load(const char *lang, atlas_error *err)
{
    const char *dir = atlas_i18n_dir();
    char path[4096], langs[256];
    atlas_i18n *tr;
    struct stat sb;

    if (lang == NULL)
        lang = "en";
    snprintf(path, sizeof path, "%s/%s.json", dir, lang);
    if (!valid_lang(lang) || stat(path, &sb) != 0) {
        list_langs(dir, langs, sizeof langs);
        atlas_error_set(err, ATLAS_E_INPUT,
                        "--lang: \"%.20s\": no such language (one of %s)", lang,
                        langs[0] ? langs : "en");
        return NULL;
    }
    tr = calloc(1, sizeof *tr);
    if (tr == NULL) {
        atlas_error_set(err, ATLAS_E_NOMEM, "out of memory");
        return NULL;
    }
    snprintf(tr->lang, sizeof tr->lang, "%s", lang);
    tr->en = read_lang(dir, "en", err);
    if (tr->en != NULL && strcmp(lang, "en") != 0)
        tr->tr = read_lang(dir, lang, err);
    if (err->code != ATLAS_OK) {
        atlas_i18n_free(tr);
        return NULL;
    }
    return tr;
}

void
atlas_i18n_free(atlas_i18n *tr)
{
    if (tr == NULL)
        return;
    json_object_put(tr->tr);
    json_object_put(tr->en);
    free(tr);
}

const char *
atlas_i18n_lang(const atlas_i18n *tr)
{
    return tr->lang;
}

const char *
atlas_i18n_get(const atlas_i18n *tr, const char *key)
{
    json_object *v;

    if (tr->tr != NULL && json_object_object_get_ex(tr->tr, key, &v))
        return json_object_get_string(v);
    if (json_object_object_get_ex(tr->en, key, &v))
        return json_object_get_string(v);
    return key;
}

const char *
atlas_i18n_translate(const atlas_i18n *tr, const char *prefix,
                     const char *english)
{
    size_t plen = strlen(prefix);

    json_object_object_foreach(tr->en, key, val)
    {
        if (strncmp(key, prefix, plen) == 0 &&
            strcmp(json_object_get_string(val), english) == 0)
            return atlas_i18n_get(tr, key);
    }
    return english;
}

/* Appends LEN bytes of S to BUF (SIZE) at *POS, cutting at a UTF-8
 * character boundary when it does not fit. */
static void
append(char *buf, size_t size, size_t *pos, const char *s, size_t len)
{
    if (*pos + len >= size) {
        len = size - 1 - *pos;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(buf + *pos, s, len);
    *pos += len;
    buf[*pos] = '\0';
}

char *
atlas_i18n_format(const atlas_i18n *tr, const char *key, char *buf, size_t size,
                  const char *const *vars)
{
    const char *t = atlas_i18n_get(tr, key);
    size_t pos = 0;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    while (*t != '\0' && pos + 1 < size) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        const char *val = NULL;
        if (open == NULL || close == NULL) {
            append(buf, size, &pos, t, strlen(t));
            break;
        }
        append(buf, size, &pos, t, (size_t)(open - t));
        for (size_t i = 0; vars != NULL && vars[i] != NULL; i += 2) {
            if (strlen(vars[i]) == (size_t)(close - open - 1) &&
                strncmp(vars[i], open + 1, (size_t)(close - open - 1)) == 0) {
                val = vars[i + 1];
                break;
            }
        }
        if (val != NULL)
            append(buf, size, &pos, val, strlen(val));
        else /* an unknown placeholder stays visible */
            append(buf, size, &pos, open, (size_t)(close - open + 1));
        t = close + 1;
    }
    return buf;
}

char *
atlas_i18n_number(const atlas_i18n *tr, long long n, char *buf, size_t size)
{
    const char *sep = atlas_i18n_get(tr, "number.group");
    char digits[32];
    size_t pos = 0, nd;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (n < 0) {
        append(buf, size, &pos, "-", 1);
        n = n == LLONG_MIN ? 0 : -n; /* LLONG_MIN never counts people */
    }
    nd = (size_t)snprintf(digits, sizeof digits, "%lld", n);
    for (size_t i = 0; i < nd; i++) {
        /* "number.group_min" digits at least: English groups "4,000",
         * Russian, Ukrainian and Polish typography only from "12 000" */
        if (i > 0 && (nd - i) % 3 == 0 &&
            nd >= (size_t)atoi(atlas_i18n_get(tr, "number.group_min")))
            append(buf, size, &pos, sep, strlen(sep));
        append(buf, size, &pos, digits + i, 1);
    }
    return buf;
}
