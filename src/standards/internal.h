/* internal.h - shared by the files of src/standards/; not for other modules. */
#ifndef CEP_STANDARDS_INTERNAL_H
#define CEP_STANDARDS_INTERNAL_H

#include "standards/standards.h"

#include "core/policy.h"
#include "store/sql.h"

#include <stdbool.h>

/* The columns of an item as the API shows it. */
#define STD_ITEM_COLS "id, parent, kind, label, title_ja, title_en, text_ja, mark, position"

/* 0 when edition exists; CEP_ENOTFOUND (err: "no such edition") otherwise. */
int std_edition_exists(struct store *s, const char *edition, struct cep_error *err);
/* True when s is a valid item id (a letter, then letters, digits, '.', '_', '-'). */
bool std_id_valid(const char *s);
/* True when s is a valid edition name. */
bool std_edition_valid(const char *s);
/* The pillar (or priority item) above item it in items (a JSON array of
 * items with "id", "parent", "kind"), or it itself; borrowed from items. */
const char *std_pillar_of(const json_t *items, const json_t *it);

#endif
