/* oscal.c - the Guideline as an OSCAL catalog (JSON) and back. */
#include "standards/internal.h"

#include "base/json.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdarg.h>

/* snprintf into a path buffer: a longer path is cut (it only names a place). */
static void __attribute__((format(printf, 3, 4))) pathf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

/* ---- export ---- */

/* The OSCAL token of an item id: lower case, '.' as '-'. */
static void token(const char *id, char out[STD_ID_MAX + 1])
{
	size_t i;

	for (i = 0; id[i] && i < STD_ID_MAX; i++)
		out[i] = id[i] == '.' ? '-' : (char)tolower((unsigned char)id[i]);
	out[i] = '\0';
}

static int prop(json_t *props, const char *name, int ns, const char *value)
{
	json_t *o;

	if (!value || !*value)
		return 0;
	o = ns ? json_pack("{s:s, s:s, s:s}", "name", name, "ns", STD_OSCAL_NS, "value", value) :
		 json_pack("{s:s, s:s}", "name", name, "value", value);
	return o ? json_array_append_new(props, o) : -1;
}

static const char *sv(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static int is_control(const json_t *it, const json_t *nodes)
{
	const char *parent = json_string_value(json_object_get(it, "parent"));
	const json_t *pn = parent ? json_object_get(nodes, parent) : NULL;

	return !json_is_null(json_object_get(it, "mark")) || !strcmp(sv(it, "kind"), "item") ||
	       (pn && json_is_true(json_object_get(pn, "_control")));
}

int std_oscal_export(struct store *s, const struct cep_principal *p, const char *edition,
		     json_t **ret, struct cep_error *err)
{
	json_t *ed = NULL, *nodes, *root, *meta, *mprops, *it;
	size_t i;
	int rc = std_edition_get(s, p, edition, NULL, NULL, &ed, err);

	if (rc < 0)
		return rc;
	nodes = json_object(); /* item id -> its node, while building */
	root = json_object();  /* the catalog's own groups and controls */
	json_array_foreach(json_object_get(ed, "items"), i, it) {
		const char *id = sv(it, "id"), *parent = json_string_value(json_object_get(it, "parent"));
		int control = is_control(it, nodes);
		char tok[STD_ID_MAX + 1], part_id[STD_ID_MAX + 8];
		json_t *node, *props = json_array(), *up, *list;

		token(id, tok);
		prop(props, "label", 0, sv(it, "label"));
		prop(props, "item-id", 1, id);
		prop(props, "title-en", 1, sv(it, "title_en"));
		prop(props, "mark", 1, json_string_value(json_object_get(it, "mark")));
		node = json_pack("{s:s, s:s, s:s, s:o}", "id", tok, "class", sv(it, "kind"), "title",
				 sv(it, "title_ja"), "props", props);
		if (!node) {
			rc = CEP_ENOMEM;
			break;
		}
		if (*sv(it, "text_ja") || *sv(it, "text_en")) {
			json_t *parts = json_array();

			pathf(part_id, sizeof(part_id), "%s_%s", tok, control ? "smt" : "ovw");
			if (*sv(it, "text_ja"))
				json_array_append_new(parts, json_pack("{s:s, s:s, s:s}", "id", part_id,
								       "name",
								       control ? "statement" : "overview",
								       "prose", sv(it, "text_ja")));
			pathf(part_id, sizeof(part_id), "%s_%s_en", tok, control ? "smt" : "ovw");
			if (*sv(it, "text_en"))
				json_array_append_new(parts, json_pack("{s:s, s:s, s:s, s:s}", "id",
								       part_id, "name",
								       control ? "statement" : "overview",
								       "class", "en", "prose",
								       sv(it, "text_en")));
			json_object_set_new(node, "parts", parts);
		}
		up = parent ? json_object_get(nodes, parent) : root;
		if (!up)
			up = root;
		list = json_object_get(up, control ? "controls" : "groups");
		if (!list) {
			list = json_array();
			json_object_set_new(up, control ? "controls" : "groups", list);
		}
		json_array_append(list, node);
		json_object_set_new(node, "_control", json_boolean(control));
		json_object_set_new(nodes, id, node);
	}
	/* drop the building marks */
	{
		const char *k;
		json_t *n;

		json_object_foreach(nodes, k, n)
			json_object_del(n, "_control");
	}
	mprops = json_array();
	prop(mprops, "title-en", 1, sv(ed, "title_en"));
	prop(mprops, "published", 1, sv(ed, "published"));
	meta = json_pack("{s:s, s:s, s:s, s:s}", "title", sv(ed, "title_ja"), "version", edition,
			 "last-modified", sv(ed, "last_modified"), "oscal-version",
			 STD_OSCAL_VERSION);
	if (meta && json_array_size(mprops))
		json_object_set(meta, "props", mprops);
	json_decref(mprops);
	*ret = rc < 0 || !meta ? NULL :
				 json_pack("{s:{s:s, s:o}}", "catalog", "uuid", sv(ed, "uuid"),
					   "metadata", meta);
	if (*ret) {
		json_t *cat = json_object_get(*ret, "catalog");

		if (json_object_get(root, "groups"))
			json_object_set(cat, "groups", json_object_get(root, "groups"));
		if (json_object_get(root, "controls"))
			json_object_set(cat, "controls", json_object_get(root, "controls"));
	}
	json_decref(root);
	json_decref(nodes);
	json_decref(ed);
	return *ret ? 0 : rc < 0 ? rc : CEP_ENOMEM;
}

/* ---- import ---- */

/* A string member of o at path.key: required or not; at most max characters. */
static int str_at(const json_t *o, const char *path, const char *key, int required, size_t max,
		  const char **ret, struct cep_error *err)
{
	const json_t *v = json_object_get(o, key);
	char field[CEP_ERR_FIELD_MAX];

	*ret = NULL;
	pathf(field, sizeof(field), "%s.%s", path, key);
	if (!v && !required)
		return 0;
	if (!json_is_string(v) || (required && !*json_string_value(v)))
		return cep_error_set(err, CEP_EINVAL, field, "%s: %s", field,
				     v ? "must be a text" : "is required");
	if (json_string_length(v) > max * 4)
		return cep_error_set(err, CEP_ETOOBIG, field, "%s: too long", field);
	*ret = json_string_value(v);
	return 0;
}

/* The value of the prop named name (in STD_OSCAL_NS when ns) among props at
 * path (an array of {"name", "value", "ns"}), or NULL. */
static int prop_at(const json_t *props, const char *path, const char *name, int ns,
		   const char **ret, struct cep_error *err)
{
	const json_t *pr;
	char field[CEP_ERR_FIELD_MAX];
	size_t i;

	*ret = NULL;
	if (!props)
		return 0;
	if (!json_is_array(props))
		return cep_error_set(err, CEP_EINVAL, path, "%s.props: must be a list", path);
	json_array_foreach(props, i, pr) {
		const char *n = json_string_value(json_object_get(pr, "name"));
		const char *v = json_string_value(json_object_get(pr, "value"));
		const char *pns = json_string_value(json_object_get(pr, "ns"));

		pathf(field, sizeof(field), "%s.props[%zu]", path, i);
		if (!json_is_object(pr) || !n || !v)
			return cep_error_set(err, CEP_EINVAL, field,
					     "%s: a prop has a name and a value (texts)", field);
		if (!strcmp(n, name) && (ns ? pns && !strcmp(pns, STD_OSCAL_NS) : !pns)) {
			*ret = v;
			return 0;
		}
	}
	return 0;
}

static int node_at(const json_t *node, const char *path, const char *parent, int control,
		   json_t *items, struct cep_error *err);

/* Each entry of the list member key of o (groups or controls). */
static int list_at(const json_t *o, const char *path, const char *key, const char *parent,
		   int control, json_t *items, struct cep_error *err)
{
	const json_t *list = json_object_get(o, key), *n;
	char p[CEP_ERR_FIELD_MAX];
	size_t i;
	int rc = 0;

	if (!list)
		return 0;
	pathf(p, sizeof(p), "%s.%s", path, key);
	if (!json_is_array(list))
		return cep_error_set(err, CEP_EINVAL, p, "%s: must be a list", p);
	json_array_foreach(list, i, n) {
		pathf(p, sizeof(p), "%s.%s[%zu]", path, key, i);
		rc = node_at(n, p, parent, control, items, err);
		if (rc < 0)
			break;
	}
	return rc;
}

static int node_at(const json_t *node, const char *path, const char *parent, int control,
		   json_t *items, struct cep_error *err)
{
	const char *id = NULL, *title = NULL, *cls = NULL, *item_id = NULL, *label = NULL,
		   *title_en = NULL, *mark = NULL, *text_ja = "", *text_en = "";
	const json_t *parts = json_object_get(node, "parts"), *pt;
	char field[CEP_ERR_FIELD_MAX];
	json_t *it;
	size_t i;
	int rc;

	if (!json_is_object(node))
		return cep_error_set(err, CEP_EINVAL, path, "%s: must be an object", path);
	rc = str_at(node, path, "id", 1, STD_ID_MAX, &id, err);
	if (rc == 0)
		rc = str_at(node, path, "title", 1, STD_TITLE_MAX, &title, err);
	if (rc == 0)
		rc = str_at(node, path, "class", 0, 16, &cls, err);
	if (rc == 0)
		rc = prop_at(json_object_get(node, "props"), path, "item-id", 1, &item_id, err);
	if (rc == 0)
		rc = prop_at(json_object_get(node, "props"), path, "label", 0, &label, err);
	if (rc == 0)
		rc = prop_at(json_object_get(node, "props"), path, "title-en", 1, &title_en, err);
	if (rc == 0)
		rc = prop_at(json_object_get(node, "props"), path, "mark", 1, &mark, err);
	pathf(field, sizeof(field), "%s.id", path);
	if (rc == 0 && !std_id_valid(item_id ? item_id : id))
		rc = cep_error_set(err, CEP_EINVAL, field, "%s: not an OSCAL token", field);
	pathf(field, sizeof(field), "%s.props", path);
	if (rc == 0 && mark && strcmp(mark, "must") && strcmp(mark, "reference"))
		rc = cep_error_set(err, CEP_EINVAL, field, "%s: mark must be must or reference",
				   field);
	pathf(field, sizeof(field), "%s.parts", path);
	if (rc == 0 && parts && !json_is_array(parts))
		rc = cep_error_set(err, CEP_EINVAL, field, "%s: must be a list", field);
	json_array_foreach(rc == 0 ? parts : NULL, i, pt) {
		const char *prose = json_string_value(json_object_get(pt, "prose"));
		const char *pcls = json_string_value(json_object_get(pt, "class"));

		pathf(field, sizeof(field), "%s.parts[%zu]", path, i);
		if (!json_is_object(pt) || !json_is_string(json_object_get(pt, "name"))) {
			rc = cep_error_set(err, CEP_EINVAL, field, "%s: a part has a name", field);
			break;
		}
		if (prose && pcls && !strcmp(pcls, "en"))
			text_en = prose;
		else if (prose && !*text_ja)
			text_ja = prose;
	}
	if (rc < 0)
		return rc;
	if (!cls || (strcmp(cls, "section") && strcmp(cls, "pillar") && strcmp(cls, "priority") &&
		     strcmp(cls, "item")))
		cls = control ? "item" : "section";
	it = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", item_id ? item_id : id,
		       "kind", cls, "label", label ? label : "", "title_ja", title, "title_en",
		       title_en ? title_en : "", "text_ja", text_ja, "text_en", text_en, "mark",
		       mark ? mark : "");
	if (!it)
		return CEP_ENOMEM;
	if (json_object_set_new(it, "parent", parent ? json_string(parent) : json_null()) < 0 ||
	    (!mark && json_object_set_new(it, "mark", json_null()) < 0)) {
		json_decref(it);
		return CEP_ENOMEM;
	}
	if (json_array_size(items) >= STD_ITEMS_MAX) {
		json_decref(it);
		return cep_error_set(err, CEP_ETOOBIG, path, "a catalog has at most %d items",
				     STD_ITEMS_MAX);
	}
	if (json_array_append_new(items, it) < 0)
		return CEP_ENOMEM;
	id = json_string_value(json_object_get(it, "id"));
	if (!control)
		rc = list_at(node, path, "groups", id, 0, items, err);
	else if (json_object_get(node, "groups"))
		rc = cep_error_set(err, CEP_EINVAL, path, "%s.groups: a control holds no groups",
				   path);
	if (rc == 0)
		rc = list_at(node, path, "controls", id, 1, items, err);
	return rc;
}

int std_oscal_parse(const json_t *in, json_t **ret, struct cep_error *err)
{
	const json_t *cat = json_object_get(in, "catalog"), *meta;
	const char *uuid = NULL, *title = NULL, *version = NULL, *lm = NULL, *ov = NULL,
		   *title_en = NULL, *published = NULL;
	json_t *items, *out;
	int rc;

	if (!json_is_object(cat))
		return cep_error_set(err, CEP_EINVAL, "catalog", "catalog: must be an object");
	meta = json_object_get(cat, "metadata");
	rc = str_at(cat, "catalog", "uuid", 1, 64, &uuid, err);
	if (rc == 0 && !json_is_object(meta))
		rc = cep_error_set(err, CEP_EINVAL, "catalog.metadata",
				   "catalog.metadata: must be an object");
	if (rc == 0)
		rc = str_at(meta, "catalog.metadata", "title", 1, STD_TITLE_MAX, &title, err);
	if (rc == 0)
		rc = str_at(meta, "catalog.metadata", "version", 1, STD_EDITION_MAX, &version, err);
	if (rc == 0 && !std_edition_valid(version))
		rc = cep_error_set(err, CEP_EINVAL, "catalog.metadata.version",
				   "catalog.metadata.version: the edition, 1 to %d letters, digits, "
				   "'.', '_' or '-'", STD_EDITION_MAX);
	if (rc == 0)
		rc = str_at(meta, "catalog.metadata", "last-modified", 1, 64, &lm, err);
	if (rc == 0)
		rc = str_at(meta, "catalog.metadata", "oscal-version", 1, 32, &ov, err);
	if (rc == 0)
		rc = prop_at(json_object_get(meta, "props"), "catalog.metadata", "title-en", 1,
			     &title_en, err);
	if (rc == 0)
		rc = prop_at(json_object_get(meta, "props"), "catalog.metadata", "published", 1,
			     &published, err);
	if (rc < 0)
		return rc;
	items = json_array();
	if (!items)
		return CEP_ENOMEM;
	rc = list_at(cat, "catalog", "groups", NULL, 0, items, err);
	if (rc == 0)
		rc = list_at(cat, "catalog", "controls", NULL, 1, items, err);
	if (rc == 0 && json_array_size(items) == 0)
		rc = cep_error_set(err, CEP_EINVAL, "catalog.groups",
				   "catalog.groups: the catalog has no groups or controls");
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "edition", version, "title_ja", title,
			"title_en", title_en ? title_en : "", "published", published ? published : "",
			"uuid", uuid, "last_modified", lm, "items", items);
	if (!out)
		return CEP_ENOMEM;
	*ret = out;
	return 0;
}
