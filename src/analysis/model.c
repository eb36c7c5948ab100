/* model.c - the builder of the facility-level model: nodes, dependencies in
 * redundancy groups, layer links; checks, then compressed (CSR) arrays.
 *
 * Strings (ids, names, labels) are copied into an arena of large blocks that
 * the finished model keeps, so that a model of millions of nodes costs a few
 * allocations, not millions. Ids and labels are found through open-addressing
 * hash tables of indices. */
#include "analysis/model.h"

#include "analysis/ahead.h"

#include "base/alloc.h"
#include "base/err.h"
#include "base/text.h"

#include <math.h>
#include <string.h>

#define ARENA_BLOCK (1u << 20)

/* ---- string arena --------------------------------------------------------- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct arena {
	struct arena_block *head;
};

/* A copy of s[0..len) plus NUL in the arena, or NULL when out of memory. */
static char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	struct arena_block *b = a->head;
	char *p;

	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		b = cep_malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->next = a->head;
		b->used = 0;
		b->cap = cap;
		a->head = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static void arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		cep_free(b);
	}
	a->head = NULL;
}

/* ---- string -> index hash tables ------------------------------------------ */

/* A slot holds a key's hash in its high 32 bits and its index + 1 in the
 * low 32 (0 = empty); the keys live in a caller's array of strings, passed
 * to each call. A probe compares the hashes first, so that it reads a key's
 * string (two more places in memory) only when they match, and growing the
 * table reads no string at all. Load factor <= 1/2. */
struct strhash {
	uint64_t *slot;
	uint32_t cap; /* power of two, or 0 */
	uint32_t n;
};

static uint32_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (uint32_t)(h ^ (h >> 29));
}

/* The index of the first key of that hash that is s (s NULL: the first of
 * that hash, unchecked, for a hint), or UINT32_MAX. */
static uint32_t strhash_find(const struct strhash *h, uint32_t hash, char *const *keys,
			     const char *s)
{
	uint32_t mask, i;

	if (!h->cap)
		return UINT32_MAX;
	mask = h->cap - 1;
	for (i = hash & mask; h->slot[i]; i = (i + 1) & mask) {
		uint32_t index = (uint32_t)h->slot[i] - 1;

		if ((uint32_t)(h->slot[i] >> 32) == hash && (!s || strcmp(keys[index], s) == 0))
			return index;
	}
	return UINT32_MAX;
}

/* The index of s among keys, or UINT32_MAX. */
static uint32_t strhash_get(const struct strhash *h, char *const *keys, const char *s)
{
	return strhash_find(h, hash_str(s), keys, s);
}

/* Put the slot value x (hash << 32 | index + 1) in the first free slot. */
static void strhash_place(uint64_t *slot, uint32_t cap, uint64_t x)
{
	uint32_t mask = cap - 1, i;

	for (i = (uint32_t)(x >> 32) & mask; slot[i]; i = (i + 1) & mask)
		;
	slot[i] = x;
}

/* Record that keys[index] (not yet present) has that index. 0 or CEP_ENOMEM. */
static int strhash_put(struct strhash *h, char *const *keys, uint32_t index)
{
	if ((uint64_t)(h->n + 1) * 2 > h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 64;
		uint64_t *slot = cep_calloc(cap, sizeof(*slot));

		if (!slot)
			return CEP_ENOMEM;
		for (uint32_t i = 0; i < h->cap; i++)
			if (h->slot[i])
				strhash_place(slot, cap, h->slot[i]);
		cep_free(h->slot);
		h->slot = slot;
		h->cap = cap;
	}
	strhash_place(h->slot, h->cap, (uint64_t)hash_str(keys[index]) << 32 | (index + 1));
	h->n++;
	return 0;
}

/* ---- growable arrays ------------------------------------------------------ */

/* The capacity that holds want elements when have are held (doubling). */
static size_t next_cap(size_t want, size_t have)
{
	size_t cap = have ? have : 16;

	while (cap < want)
		cap *= 2;
	return cap;
}

/* Make *p hold at least want elements of size elem, given that it holds have.
 * 0 or CEP_ENOMEM; *p is unchanged on failure. Parallel arrays grow one by one
 * and their common capacity is raised to next_cap() once all have grown. */
static int grow(void **p, size_t want, size_t have, size_t elem)
{
	void *q;

	if (want <= have)
		return 0;
	q = cep_realloc(*p, next_cap(want, have) * elem);
	if (!q)
		return CEP_ENOMEM;
	*p = q;
	return 0;
}

#define GROW(b, arr, want, have) grow((void **)&(b)->arr, (want), (have), sizeof(*(b)->arr))

/* ---- label tables --------------------------------------------------------- */

struct labels {
	struct an_names names;
	size_t cap;
	struct strhash hash;
	uint32_t max;
};

/* The index of label s (NULL = "") in l, interned when new. */
static int label_intern(struct labels *l, struct arena *a, const char *s, uint32_t *ret)
{
	uint32_t i;
	char *copy;

	if (!s)
		s = "";
	i = strhash_get(&l->hash, l->names.name, s);
	if (i != UINT32_MAX) {
		*ret = i;
		return 0;
	}
	if (l->names.n >= l->max)
		return CEP_ETOOBIG;
	if (grow((void **)&l->names.name, l->names.n + 1, l->cap, sizeof(char *)))
		return CEP_ENOMEM;
	l->cap = next_cap(l->names.n + 1, l->cap);
	copy = arena_strndup(a, s, strlen(s));
	if (!copy)
		return CEP_ENOMEM;
	l->names.name[l->names.n] = copy;
	if (strhash_put(&l->hash, l->names.name, l->names.n))
		return CEP_ENOMEM;
	*ret = l->names.n++;
	return 0;
}

/* ---- the builder ---------------------------------------------------------- */

enum { L_SECTOR, L_REGION, L_KIND, L_LAYER, L_DEPKIND, L_GROUP, L_COUNT };

struct an_builder {
	struct arena arena;
	struct labels label[L_COUNT];

	/* nodes */
	uint32_t n_nodes;
	size_t cap_nodes;
	char **id, **name, **op;
	uint16_t *sector, *region, *kind;
	int32_t *layer;
	uint8_t *source;
	double *weight, *repair;
	struct strhash ids;

	/* dependencies, in the order given */
	uint32_t n_deps;
	size_t cap_deps;
	uint32_t *d_sup, *d_dep, *d_group;
	uint16_t *d_kind;
	double *d_buf;

	/* groups, in the order created; named ones found by (dependent, name) */
	uint32_t n_groups;
	size_t cap_groups;
	uint32_t *g_dep, *g_need, *g_size, *g_name; /* g_name: UINT32_MAX = unnamed */
	struct gh_slot *gh;
	uint32_t gh_cap, gh_n;

	/* links */
	uint64_t n_links;
	size_t cap_links;
	uint32_t *l_a, *l_b;
};

/* The private part of a finished model. */
struct model_index {
	struct arena arena;
	struct strhash ids;
};

struct an_builder *an_builder_new(void)
{
	struct an_builder *b = cep_calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	for (int i = 0; i < L_COUNT; i++)
		b->label[i].max = AN_MAX_NAMES;
	b->label[L_GROUP].max = AN_MAX_NODES;
	return b;
}

static void labels_free(struct labels *l)
{
	cep_free(l->names.name);
	cep_free(l->hash.slot);
	memset(l, 0, sizeof(*l));
}

void an_builder_free(struct an_builder *b)
{
	if (!b)
		return;
	arena_free(&b->arena);
	for (int i = 0; i < L_COUNT; i++)
		labels_free(&b->label[i]);
	cep_free(b->id);
	cep_free(b->name);
	cep_free(b->op);
	cep_free(b->sector);
	cep_free(b->region);
	cep_free(b->kind);
	cep_free(b->layer);
	cep_free(b->source);
	cep_free(b->weight);
	cep_free(b->repair);
	cep_free(b->ids.slot);
	cep_free(b->d_sup);
	cep_free(b->d_dep);
	cep_free(b->d_group);
	cep_free(b->d_kind);
	cep_free(b->d_buf);
	cep_free(b->g_dep);
	cep_free(b->g_need);
	cep_free(b->g_size);
	cep_free(b->g_name);
	cep_free(b->gh);
	cep_free(b->l_a);
	cep_free(b->l_b);
	cep_free(b);
}

/* Check a text field: NULL allowed unless required, valid UTF-8, no control
 * characters, at most AN_MAX_ID_BYTES bytes. */
static int check_text(const char *s, const char *field, int required, struct cep_error *err)
{
	size_t len;

	if (!s || !*s) {
		if (required)
			return cep_error_set(err, CEP_EINVAL, field, "%s is required", field);
		return 0;
	}
	len = strlen(s);
	if (len > AN_MAX_ID_BYTES)
		return cep_error_set(err, CEP_EINVAL, field, "%s is longer than %u bytes", field,
				     AN_MAX_ID_BYTES);
	if (!cep_utf8_valid(s, len) || cep_text_has_control(s, len, false))
		return cep_error_set(err, CEP_EINVAL, field,
				     "%s is not valid UTF-8 text without control characters", field);
	return 0;
}

static int check_hours(double h, const char *field, struct cep_error *err)
{
	if (!isfinite(h) || h < 0 || h > AN_MAX_HOURS)
		return cep_error_set(err, CEP_EINVAL, field,
				     "%s must be a number of hours from 0 to %.0f", field, AN_MAX_HOURS);
	return 0;
}

/* Intern label s of table t into *ret (uint16 or int32 target), naming field on failure. */
static int intern(struct an_builder *b, int t, const char *s, const char *field, uint32_t *ret,
		  struct cep_error *err)
{
	int rc = label_intern(&b->label[t], &b->arena, s, ret);

	if (rc == CEP_ETOOBIG)
		return cep_error_set(err, rc, field, "more than %u distinct values of %s",
				     b->label[t].max, field);
	if (rc)
		return cep_error_set(err, rc, field, "out of memory");
	return 0;
}

static char *copy_text(struct an_builder *b, const char *s)
{
	return arena_strndup(&b->arena, s ? s : "", s ? strlen(s) : 0);
}

static int reserve_nodes(struct an_builder *b, size_t want)
{
	size_t have = b->cap_nodes;

	if (GROW(b, id, want, have) || GROW(b, name, want, have) || GROW(b, op, want, have) ||
	    GROW(b, sector, want, have) || GROW(b, region, want, have) ||
	    GROW(b, kind, want, have) || GROW(b, layer, want, have) ||
	    GROW(b, source, want, have) || GROW(b, weight, want, have) ||
	    GROW(b, repair, want, have))
		return CEP_ENOMEM;
	b->cap_nodes = next_cap(want, have);
	return 0;
}

int an_builder_add_node(struct an_builder *b, const struct an_node_spec *n,
			uint32_t *ret_index, struct cep_error *err)
{
	uint32_t sector, region, kind, layer = UINT32_MAX, i = b->n_nodes;
	int rc;

	if ((rc = check_text(n->id, "id", 1, err)) || (rc = check_text(n->name, "name", 0, err)) ||
	    (rc = check_text(n->sector, "sector", 0, err)) ||
	    (rc = check_text(n->operator_id, "operator", 0, err)) ||
	    (rc = check_text(n->region, "region", 0, err)) ||
	    (rc = check_text(n->kind, "kind", 0, err)) ||
	    (rc = check_text(n->layer, "layer", 0, err)))
		return rc;
	if (!isfinite(n->weight) || n->weight < 0 || n->weight > 1e15)
		return cep_error_set(err, CEP_EINVAL, "weight",
				     "weight must be a number from 0 to 1e15");
	if ((rc = check_hours(n->repair_hours, "repair_hours", err)))
		return rc;
	if (n->source && (!n->layer || !*n->layer))
		return cep_error_set(err, CEP_EINVAL, "source",
				     "node %s is a source but is in no layer", n->id);
	if (strhash_get(&b->ids, b->id, n->id) != UINT32_MAX)
		return cep_error_set(err, CEP_EEXIST, "id", "duplicate node id %s", n->id);
	if (b->n_nodes >= AN_MAX_NODES)
		return cep_error_set(err, CEP_ETOOBIG, "id", "more than %u nodes", AN_MAX_NODES);
	if ((rc = intern(b, L_SECTOR, n->sector, "sector", &sector, err)) ||
	    (rc = intern(b, L_REGION, n->region, "region", &region, err)) ||
	    (rc = intern(b, L_KIND, n->kind, "kind", &kind, err)))
		return rc;
	if (n->layer && *n->layer && (rc = intern(b, L_LAYER, n->layer, "layer", &layer, err)))
		return rc;
	if (reserve_nodes(b, (size_t)i + 1))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	b->id[i] = copy_text(b, n->id);
	b->name[i] = copy_text(b, n->name);
	b->op[i] = copy_text(b, n->operator_id);
	if (!b->id[i] || !b->name[i] || !b->op[i] || strhash_put(&b->ids, b->id, i))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	b->sector[i] = (uint16_t)sector;
	b->region[i] = (uint16_t)region;
	b->kind[i] = (uint16_t)kind;
	b->layer[i] = layer == UINT32_MAX ? -1 : (int32_t)layer;
	b->source[i] = n->source ? 1 : 0;
	b->weight[i] = n->weight;
	b->repair[i] = n->repair_hours;
	b->n_nodes++;
	*ret_index = i;
	return 0;
}

int an_builder_find(const struct an_builder *b, const char *id, uint32_t *ret_index)
{
	uint32_t i = strhash_get(&b->ids, b->id, id);

	if (i == UINT32_MAX)
		return CEP_ENOTFOUND;
	*ret_index = i;
	return 0;
}

/* ---- named groups: (dependent, name) -> group ----------------------------- */

/* A slot of the table: the key, the group + 1 (0: empty) and the group's
 * need beside it, so that a dependency finds its group and checks its need in
 * one place (edges come by supplier, so their dependents are at random). */
struct gh_slot {
	uint64_t key; /* dependent << 32 | name index */
	uint32_t group1;
	uint32_t need;
};

static uint32_t gh_hash(uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (uint32_t)key;
}

/* The slot of key, or NULL. */
static const struct gh_slot *gh_get(const struct an_builder *b, uint64_t key)
{
	uint32_t mask, i;

	if (!b->gh_cap)
		return NULL;
	mask = b->gh_cap - 1;
	for (i = gh_hash(key) & mask; b->gh[i].group1; i = (i + 1) & mask)
		if (b->gh[i].key == key)
			return &b->gh[i];
	return NULL;
}

static void gh_place(struct gh_slot *slots, uint32_t cap, struct gh_slot x)
{
	uint32_t mask = cap - 1, i;

	for (i = gh_hash(x.key) & mask; slots[i].group1; i = (i + 1) & mask)
		;
	slots[i] = x;
}

static int gh_put(struct an_builder *b, uint64_t key, uint32_t group, uint32_t need)
{
	if ((uint64_t)(b->gh_n + 1) * 2 > b->gh_cap) {
		uint32_t cap = b->gh_cap ? b->gh_cap * 2 : 64;
		struct gh_slot *slots = cep_calloc(cap, sizeof(*slots));

		if (!slots)
			return CEP_ENOMEM;
		for (uint32_t i = 0; i < b->gh_cap; i++)
			if (b->gh[i].group1)
				gh_place(slots, cap, b->gh[i]);
		cep_free(b->gh);
		b->gh = slots;
		b->gh_cap = cap;
	}
	gh_place(b->gh, b->gh_cap, (struct gh_slot){ key, group + 1, need });
	b->gh_n++;
	return 0;
}

/* ---- hints for a reader (model.h) ------------------------------------------ */

void an_builder_hint_id(const struct an_builder *b, const char *id, const char *group,
			struct an_hint *h)
{
	const struct labels *l = &b->label[L_GROUP];

	h->hash = hash_str(id);
	h->index = UINT32_MAX;
	h->name = group ? strhash_get(&l->hash, l->names.name, group) : UINT32_MAX;
	h->gslot = UINT32_MAX;
	if (b->ids.cap)
		__builtin_prefetch(&b->ids.slot[h->hash & (b->ids.cap - 1)]);
}

void an_builder_hint_slot(const struct an_builder *b, struct an_hint *h)
{
	/* the first id of the same hash: nearly always the one */
	h->index = strhash_find(&b->ids, h->hash, NULL, NULL);
	if (h->index != UINT32_MAX)
		__builtin_prefetch(&b->id[h->index]);
	if (h->index != UINT32_MAX && h->name != UINT32_MAX && b->gh_cap) {
		h->gslot = gh_hash((uint64_t)h->index << 32 | h->name) & (b->gh_cap - 1);
		__builtin_prefetch(&b->gh[h->gslot]);
	}
}

void an_builder_hint_text(const struct an_builder *b, const struct an_hint *h)
{
	AN_AHEAD_KEEP();
	if (h->index != UINT32_MAX)
		__builtin_prefetch(b->id[h->index]);
	/* the group table only grows: the slot is still in it */
	if (h->gslot != UINT32_MAX && b->gh[h->gslot].group1)
		__builtin_prefetch(&b->g_size[b->gh[h->gslot].group1 - 1]);
}

/* A new group of dependent (name UINT32_MAX: unnamed) into *ret. */
static int new_group(struct an_builder *b, uint32_t dependent, uint32_t name, uint32_t need,
		     uint32_t *ret)
{
	size_t want = (size_t)b->n_groups + 1, have = b->cap_groups;

	if (GROW(b, g_dep, want, have) || GROW(b, g_need, want, have) ||
	    GROW(b, g_size, want, have) || GROW(b, g_name, want, have))
		return CEP_ENOMEM;
	b->cap_groups = next_cap(want, have);
	if (name != UINT32_MAX && gh_put(b, (uint64_t)dependent << 32 | name, b->n_groups, need))
		return CEP_ENOMEM;
	b->g_dep[b->n_groups] = dependent;
	b->g_need[b->n_groups] = need;
	b->g_size[b->n_groups] = 0;
	b->g_name[b->n_groups] = name;
	*ret = b->n_groups++;
	return 0;
}

int an_builder_add_dep(struct an_builder *b, uint32_t supplier, uint32_t dependent,
		       const char *kind, double buffer_hours, const char *group,
		       uint32_t need, struct cep_error *err)
{
	uint32_t kind_i, name = UINT32_MAX, g;
	size_t want, have;
	int rc;

	if (supplier >= b->n_nodes)
		return cep_error_set(err, CEP_EINVAL, "supplier", "unknown supplier node");
	if (dependent >= b->n_nodes)
		return cep_error_set(err, CEP_EINVAL, "dependent", "unknown dependent node");
	if (supplier == dependent)
		return cep_error_set(err, CEP_EINVAL, "dependent", "node %s depends on itself",
				     b->id[supplier]);
	if ((rc = check_hours(buffer_hours, "buffer_hours", err)) ||
	    (rc = check_text(kind, "kind", 0, err)) || (rc = check_text(group, "group", 0, err)))
		return rc;
	if (need < 1)
		return cep_error_set(err, CEP_EINVAL, "need", "need must be at least 1");
	if ((!group || !*group) && need != 1)
		return cep_error_set(err, CEP_EINVAL, "need",
				     "need %u without a group (a dependency without a group needs 1)",
				     need);
	if ((uint64_t)b->n_deps + b->n_links >= AN_MAX_EDGES)
		return cep_error_set(err, CEP_ETOOBIG, "dependent", "more than %u edges",
				     AN_MAX_EDGES);
	if ((rc = intern(b, L_DEPKIND, kind, "kind", &kind_i, err)))
		return rc;
	if (group && *group) {
		const struct gh_slot *x;

		if ((rc = intern(b, L_GROUP, group, "group", &name, err)))
			return rc;
		x = gh_get(b, (uint64_t)dependent << 32 | name);
		g = x ? x->group1 - 1 : UINT32_MAX;
		if (x && x->need != need)
			return cep_error_set(err, CEP_EINVAL, "need",
					     "group %s of %s has need %u here but %u before", group,
					     b->id[dependent], need, x->need);
	} else {
		g = UINT32_MAX;
	}
	want = (size_t)b->n_deps + 1;
	have = b->cap_deps;
	if (GROW(b, d_sup, want, have) || GROW(b, d_dep, want, have) ||
	    GROW(b, d_group, want, have) || GROW(b, d_kind, want, have) ||
	    GROW(b, d_buf, want, have))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	b->cap_deps = next_cap(want, have);
	if (g == UINT32_MAX && new_group(b, dependent, name, need, &g))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	b->g_size[g]++;
	b->d_sup[b->n_deps] = supplier;
	b->d_dep[b->n_deps] = dependent;
	b->d_group[b->n_deps] = g;
	b->d_kind[b->n_deps] = (uint16_t)kind_i;
	b->d_buf[b->n_deps] = buffer_hours;
	b->n_deps++;
	return 0;
}

int an_builder_add_link(struct an_builder *b, uint32_t a, uint32_t c, struct cep_error *err)
{
	size_t want, have;

	if (a >= b->n_nodes || c >= b->n_nodes)
		return cep_error_set(err, CEP_EINVAL, a >= b->n_nodes ? "a" : "b",
				     "unknown node in a link");
	if (a == c)
		return cep_error_set(err, CEP_EINVAL, "b", "node %s is linked to itself", b->id[a]);
	if (b->layer[a] < 0 || b->layer[a] != b->layer[c])
		return cep_error_set(err, CEP_EINVAL, "layer",
				     "a link joins nodes of one layer; %s and %s are not in one layer",
				     b->id[a], b->id[c]);
	if ((uint64_t)b->n_deps + b->n_links >= AN_MAX_EDGES)
		return cep_error_set(err, CEP_ETOOBIG, "b", "more than %u edges", AN_MAX_EDGES);
	want = b->n_links + 1;
	have = b->cap_links;
	if (GROW(b, l_a, want, have) || GROW(b, l_b, want, have))
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	b->cap_links = next_cap(want, have);
	b->l_a[b->n_links] = a;
	b->l_b[b->n_links] = c;
	b->n_links++;
	return 0;
}

/* ---- finishing ------------------------------------------------------------ */

/* Move the builder's label table into the model's. */
static void take_names(struct an_names *dst, struct labels *l)
{
	*dst = l->names;
	l->names.name = NULL;
	l->names.n = 0;
}

/* The model's arrays that depend only on counts. */
static int model_alloc(struct an_model *m)
{
	size_t n = m->n_nodes, e = m->n_deps, g = m->n_groups;

	m->dep_start = cep_calloc(n + 1, sizeof(*m->dep_start));
	m->dep_dependent = cep_malloc((e ? e : 1) * sizeof(*m->dep_dependent));
	m->dep_group = cep_malloc((e ? e : 1) * sizeof(*m->dep_group));
	m->dep_kind = cep_malloc((e ? e : 1) * sizeof(*m->dep_kind));
	m->dep_buffer = cep_malloc((e ? e : 1) * sizeof(*m->dep_buffer));
	m->dep_supplier = cep_malloc((e ? e : 1) * sizeof(*m->dep_supplier));
	m->node_group_start = cep_calloc(n + 1, sizeof(*m->node_group_start));
	m->group_need = cep_malloc((g ? g : 1) * sizeof(*m->group_need));
	m->group_size = cep_malloc((g ? g : 1) * sizeof(*m->group_size));
	m->in_start = cep_calloc(n + 1, sizeof(*m->in_start));
	m->in_edge = cep_malloc((e ? e : 1) * sizeof(*m->in_edge));
	m->link_start = cep_calloc(n + 1, sizeof(*m->link_start));
	m->link_to = cep_malloc((m->n_links ? 2 * m->n_links : 1) * sizeof(*m->link_to));
	if (!m->dep_start || !m->dep_dependent || !m->dep_group || !m->dep_kind ||
	    !m->dep_buffer || !m->dep_supplier || !m->node_group_start || !m->group_need ||
	    !m->group_size || !m->in_start || !m->in_edge || !m->link_start || !m->link_to)
		return CEP_ENOMEM;
	return 0;
}

/* Groups numbered by dependent; gnew[builder group] = model group. */
static void number_groups(struct an_model *m, const struct an_builder *b, uint32_t *gnew)
{
	uint32_t *next = m->node_group_start;

	for (uint32_t g = 0; g < b->n_groups; g++)
		next[b->g_dep[g] + 1]++;
	for (uint32_t d = 0; d < m->n_nodes; d++)
		next[d + 1] += next[d];
	/* next[d] is now the first group of d; advance a copy while placing. */
	for (uint32_t g = 0; g < b->n_groups; g++) {
		uint32_t d = b->g_dep[g];

		gnew[g] = next[d]++;
		m->group_need[gnew[g]] = b->g_need[g];
		m->group_size[gnew[g]] = b->g_size[g];
	}
	/* shift back: next[d] is now the end of d's groups = start of d+1's */
	for (uint32_t d = m->n_nodes; d > 0; d--)
		next[d] = next[d - 1];
	next[0] = 0;
}

/* Dependencies by supplier (stable), then by group (hence by dependent). */
static void place_deps(struct an_model *m, const struct an_builder *b, const uint32_t *gnew,
		       uint64_t *gpos)
{
	uint64_t *pos = m->dep_start;

	for (uint32_t e = 0; e < b->n_deps; e++)
		pos[b->d_sup[e] + 1]++;
	for (uint32_t s = 0; s < m->n_nodes; s++)
		pos[s + 1] += pos[s];
	/* gpos[g]: next slot of group g in in_edge */
	gpos[0] = 0;
	for (uint32_t g = 0; g < m->n_groups; g++)
		gpos[g + 1] = gpos[g] + m->group_size[g];
	for (uint32_t d = 0; d < m->n_nodes; d++)
		m->in_start[d] = gpos[m->node_group_start[d]];
	m->in_start[m->n_nodes] = m->n_deps;
	for (uint32_t e = 0; e < b->n_deps; e++) {
		uint64_t k = pos[b->d_sup[e]]++;
		uint32_t g = gnew[b->d_group[e]];

		m->dep_dependent[k] = b->d_dep[e];
		m->dep_group[k] = g;
		m->dep_kind[k] = b->d_kind[e];
		m->dep_buffer[k] = b->d_buf[e];
		m->dep_supplier[k] = b->d_sup[e];
		m->in_edge[gpos[g]++] = (uint32_t)k;
	}
	for (uint32_t s = m->n_nodes; s > 0; s--)
		pos[s] = pos[s - 1];
	pos[0] = 0;
}

static void place_links(struct an_model *m, const struct an_builder *b)
{
	uint64_t *pos = m->link_start;

	for (uint64_t l = 0; l < b->n_links; l++) {
		pos[b->l_a[l] + 1]++;
		pos[b->l_b[l] + 1]++;
	}
	for (uint32_t v = 0; v < m->n_nodes; v++)
		pos[v + 1] += pos[v];
	for (uint64_t l = 0; l < b->n_links; l++) {
		m->link_to[pos[b->l_a[l]]++] = b->l_b[l];
		m->link_to[pos[b->l_b[l]]++] = b->l_a[l];
	}
	for (uint32_t v = m->n_nodes; v > 0; v--)
		pos[v] = pos[v - 1];
	pos[0] = 0;
}

/* Refuse a group that needs more suppliers than it has, and a supplier given
 * twice in one group (it would count twice). mark: n_nodes zeroes. */
static int check_groups(const struct an_model *m, const struct an_builder *b, uint32_t *mark,
			struct cep_error *err)
{
	for (uint32_t d = 0; d < m->n_nodes; d++) {
		for (uint32_t g = m->node_group_start[d]; g < m->node_group_start[d + 1]; g++) {
			if (m->group_need[g] > m->group_size[g])
				return cep_error_set(err, CEP_EINVAL, "need",
						     "node %s needs %u suppliers of a group that has %u",
						     b->id[d], m->group_need[g], m->group_size[g]);
		}
		for (uint64_t k = m->in_start[d]; k < m->in_start[d + 1]; k++) {
			uint32_t e = m->in_edge[k], s = m->dep_supplier[e];

			if (mark[s] == m->dep_group[e] + 1)
				return cep_error_set(err, CEP_EINVAL, "supplier",
						     "%s supplies %s twice in one group", b->id[s],
						     b->id[d]);
			mark[s] = m->dep_group[e] + 1;
		}
	}
	return 0;
}

int an_builder_finish(struct an_builder *b, struct an_model **ret, struct cep_error *err)
{
	struct an_model *m = NULL;
	struct model_index *ix = NULL;
	uint32_t *gnew = NULL, *mark = NULL;
	uint64_t *gpos = NULL;
	int rc = CEP_ENOMEM;

	m = cep_calloc(1, sizeof(*m));
	ix = cep_calloc(1, sizeof(*ix));
	if (!m || !ix)
		goto nomem;
	m->n_nodes = b->n_nodes;
	m->n_deps = b->n_deps;
	m->n_groups = b->n_groups;
	m->n_links = b->n_links;
	if (model_alloc(m))
		goto nomem;
	gnew = cep_malloc(((size_t)b->n_groups + 1) * sizeof(*gnew));
	gpos = cep_malloc(((size_t)b->n_groups + 1) * sizeof(*gpos));
	mark = cep_calloc((size_t)b->n_nodes + 1, sizeof(*mark));
	if (!gnew || !gpos || !mark)
		goto nomem;
	number_groups(m, b, gnew);
	place_deps(m, b, gnew, gpos);
	place_links(m, b);
	if ((rc = check_groups(m, b, mark, err)))
		goto out;

	/* Hand the node arrays, labels and strings over. */
	m->id = b->id;
	m->name = b->name;
	m->operator_id = b->op;
	m->sector = b->sector;
	m->region = b->region;
	m->kind = b->kind;
	m->layer = b->layer;
	m->source = b->source;
	m->weight = b->weight;
	m->repair = b->repair;
	b->id = b->name = b->op = NULL;
	b->sector = b->region = b->kind = NULL;
	b->layer = NULL;
	b->source = NULL;
	b->weight = b->repair = NULL;
	take_names(&m->sectors, &b->label[L_SECTOR]);
	take_names(&m->regions, &b->label[L_REGION]);
	take_names(&m->kinds, &b->label[L_KIND]);
	take_names(&m->layers, &b->label[L_LAYER]);
	take_names(&m->dep_kinds, &b->label[L_DEPKIND]);
	ix->arena = b->arena;
	b->arena.head = NULL;
	ix->ids = b->ids;
	memset(&b->ids, 0, sizeof(b->ids));
	m->index = ix;
	ix = NULL;
	*ret = m;
	m = NULL;
	rc = 0;
	goto out;
nomem:
	rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
out:
	cep_free(gnew);
	cep_free(gpos);
	cep_free(mark);
	cep_free(ix);
	an_model_free(m);
	an_builder_free(b);
	return rc;
}

static void names_free(struct an_names *n)
{
	cep_free(n->name); /* the strings are in the arena */
}

void an_model_free(struct an_model *m)
{
	struct model_index *ix;

	if (!m)
		return;
	ix = m->index;
	if (ix) {
		arena_free(&ix->arena);
		cep_free(ix->ids.slot);
		cep_free(ix);
	}
	cep_free(m->id);
	cep_free(m->name);
	cep_free(m->operator_id);
	cep_free(m->sector);
	cep_free(m->region);
	cep_free(m->kind);
	cep_free(m->layer);
	cep_free(m->source);
	cep_free(m->weight);
	cep_free(m->repair);
	cep_free(m->dep_start);
	cep_free(m->dep_dependent);
	cep_free(m->dep_group);
	cep_free(m->dep_kind);
	cep_free(m->dep_buffer);
	cep_free(m->node_group_start);
	cep_free(m->group_need);
	cep_free(m->group_size);
	cep_free(m->dep_supplier);
	cep_free(m->in_start);
	cep_free(m->in_edge);
	cep_free(m->link_start);
	cep_free(m->link_to);
	names_free(&m->sectors);
	names_free(&m->regions);
	names_free(&m->kinds);
	names_free(&m->layers);
	names_free(&m->dep_kinds);
	cep_free(m);
}

int an_model_find(const struct an_model *m, const char *id, uint32_t *ret_index)
{
	const struct model_index *ix = m->index;
	uint32_t i = strhash_get(&ix->ids, m->id, id);

	if (i == UINT32_MAX)
		return CEP_ENOTFOUND;
	*ret_index = i;
	return 0;
}
