/* test_load.c - analysis/load: facility models from JSON and from CSV node
 * and edge files; defaults; every kind of bad input refused with the file,
 * the line and column (CSV) or the member's path (JSON), and the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/load.h"
#include "analysis/model.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <stdio.h>
#include <string.h>

static const char *good_json =
	"{\"name\": \"tiny\",\n"
	" \"nodes\": [\n"
	"  {\"id\": \"plant\", \"sector\": \"electricity\", \"region\": \"13\", \"layer\": \"power/13\","
	"   \"source\": true, \"weight\": 0, \"repair_hours\": 12},\n"
	"  {\"id\": \"sub\", \"layer\": \"power/13\"},\n"
	"  {\"id\": \"gen\", \"name\": \"予備発電機\"},\n"
	"  {\"id\": \"hospital\", \"name\": \"病院\", \"sector\": \"medical\", \"operator\": \"op-1\","
	"   \"kind\": \"hospital\", \"weight\": 500}\n"
	" ],\n"
	" \"dependencies\": [\n"
	"  {\"supplier\": \"sub\", \"dependent\": \"hospital\", \"kind\": \"power\", \"buffer_hours\": 72,"
	"   \"group\": \"power\", \"need\": 1},\n"
	"  {\"supplier\": \"gen\", \"dependent\": \"hospital\", \"kind\": \"power\", \"group\": \"power\"}\n"
	" ],\n"
	" \"links\": [[\"plant\", \"sub\"]]\n"
	"}\n";

static struct an_model *load_json_ok(const char *text)
{
	struct an_model *m = NULL;
	struct cep_error err;

	cep_error_init(&err);
	if (an_load_json(text, strlen(text), "model.json", &m, &err))
		fail_msg("load: %s", err.message);
	return m;
}

static void test_json_good(void **state)
{
	struct an_model *m = load_json_ok(good_json);
	uint32_t h, p, s;

	(void)state;
	assert_int_equal(m->n_nodes, 4);
	assert_int_equal(m->n_deps, 2);
	assert_int_equal(m->n_groups, 1);
	assert_int_equal(m->n_links, 1);
	assert_int_equal(an_model_find(m, "hospital", &h), 0);
	assert_int_equal(an_model_find(m, "plant", &p), 0);
	assert_int_equal(an_model_find(m, "sub", &s), 0);
	assert_string_equal(m->name[h], "病院");
	assert_string_equal(m->operator_id[h], "op-1");
	assert_true(m->weight[h] == 500);
	assert_true(m->weight[s] == 1);   /* default */
	assert_true(m->repair[s] == 0);   /* default */
	assert_true(m->repair[p] == 12);
	assert_int_equal(m->source[p], 1);
	assert_int_equal(m->layer[p], m->layer[s]);
	assert_int_equal(m->group_size[m->node_group_start[h]], 2);
	assert_true(m->dep_buffer[m->dep_start[s]] == 72);
	an_model_free(m);
}

/* text must fail with code, err.field == field, and the message holding words. */
static void bad_json(const char *text, int code, const char *field, const char *words)
{
	struct an_model *m = NULL;
	struct cep_error err;

	cep_error_init(&err);
	assert_int_equal(an_load_json(text, strlen(text), "model.json", &m, &err), code);
	assert_null(m);
	if (strcmp(err.field, field) != 0 || !strstr(err.message, words) ||
	    strncmp(err.message, "model.json: ", 12) != 0)
		fail_msg("%s\n-> field '%s', message '%s'", text, err.field, err.message);
}

static void test_json_bad(void **state)
{
	(void)state;
	bad_json("{\"nodes\": [\n{\"id\": \"a\",}]}", CEP_EPARSE, "", "line 2");
	bad_json("[1]", CEP_EINVAL, "", "JSON object");
	bad_json("{}", CEP_EINVAL, "nodes", "nodes is required");
	bad_json("{\"nodes\": {}}", CEP_EINVAL, "nodes", "must be an array");
	bad_json("{\"nodes\": [], \"edges\": []}", CEP_EINVAL, "edges", "unknown member");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"colour\": \"red\"}]}", CEP_EINVAL,
		 "nodes[0].colour", "unknown member");
	bad_json("{\"nodes\": [{\"name\": \"a\"}]}", CEP_EINVAL, "nodes[0].id", "required");
	bad_json("{\"nodes\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}", CEP_EEXIST, "nodes[1].id",
		 "duplicate node id a");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"weight\": -1}]}", CEP_EINVAL, "nodes[0].weight",
		 "from 0");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"source\": 1}]}", CEP_EINVAL, "nodes[0].source",
		 "true or false");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"source\": true}]}", CEP_EINVAL, "nodes[0].source",
		 "in no layer");
	bad_json("{\"nodes\": [{\"id\": \"a\"}], \"dependencies\": [{\"supplier\": \"a\", "
		 "\"dependent\": \"b\"}]}",
		 CEP_EINVAL, "dependencies[0].dependent", "unknown node b");
	bad_json("{\"nodes\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"dependencies\": [{\"supplier\": "
		 "\"a\", \"dependent\": \"b\", \"buffer_hours\": -2}]}",
		 CEP_EINVAL, "dependencies[0].buffer_hours", "from 0");
	bad_json("{\"nodes\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"dependencies\": [{\"supplier\": "
		 "\"a\", \"dependent\": \"b\", \"group\": \"g\", \"need\": 1.5}]}",
		 CEP_EINVAL, "dependencies[0].need", "whole number");
	bad_json("{\"nodes\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"dependencies\": [{\"supplier\": "
		 "\"a\", \"dependent\": \"b\", \"group\": \"g\", \"need\": 2}]}",
		 CEP_EINVAL, "need", "needs 2 suppliers of a group that has 1");
	bad_json("{\"nodes\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"dependencies\": [{\"supplier\": "
		 "\"a\", \"dependent\": \"a\"}]}",
		 CEP_EINVAL, "dependencies[0].dependent", "depends on itself");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"layer\": \"x\"}, {\"id\": \"b\", \"layer\": \"y\"}],"
		 " \"links\": [[\"a\", \"b\"]]}",
		 CEP_EINVAL, "links[0]", "not in one layer");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"layer\": \"x\"}], \"links\": [[\"a\", \"c\"]]}",
		 CEP_EINVAL, "links[0][1]", "unknown node c");
	bad_json("{\"nodes\": [{\"id\": \"a\", \"layer\": \"x\"}], \"links\": [[\"a\"]]}",
		 CEP_EINVAL, "links[0]", "a link is");
}

static void test_json_too_big(void **state)
{
	struct an_model *m = NULL;
	struct cep_error err;

	(void)state;
	cep_error_init(&err);
	/* the size is checked before the text is read */
	assert_int_equal(an_load_json("{}", AN_LOAD_MAX_JSON_BYTES + 1, "big.json", &m, &err),
			 CEP_ETOOBIG);
	assert_non_null(strstr(err.message, "big.json"));
	cep_error_init(&err);
	assert_int_equal(an_load_csv("id\n", AN_LOAD_MAX_CSV_BYTES + 1, "nodes.csv", NULL, 0,
				     "edges.csv", &m, &err), CEP_ETOOBIG);
	assert_non_null(strstr(err.message, "nodes.csv"));
	assert_null(m);
}

/* ---- CSV ------------------------------------------------------------------ */

static const char *good_nodes =
	"weight,id,layer,source,name,sector,repair_hours\n"
	"0,plant,power/13,1,発電所,electricity,12\n"
	",sub,power/13,0,\"Sub, east\",electricity,\n"
	"500,hospital,,,病院,medical,4\n"
	"1,gen,,0,,,\n";
static const char *good_edges =
	"type,from,to,kind,buffer_hours,group,need\n"
	"link,plant,sub,,,,\n"
	"dep,sub,hospital,power,72,power,1\n"
	"dep,gen,hospital,power,,power,\n";

static void test_csv_good(void **state)
{
	struct an_model *m = NULL;
	struct cep_error err;
	uint32_t s, h;

	(void)state;
	cep_error_init(&err);
	if (an_load_csv(good_nodes, strlen(good_nodes), "nodes.csv", good_edges,
			strlen(good_edges), "edges.csv", &m, &err))
		fail_msg("%s", err.message);
	assert_int_equal(m->n_nodes, 4);
	assert_int_equal(m->n_deps, 2);
	assert_int_equal(m->n_links, 1);
	assert_int_equal(an_model_find(m, "sub", &s), 0);
	assert_int_equal(an_model_find(m, "hospital", &h), 0);
	assert_string_equal(m->name[s], "Sub, east");
	assert_true(m->weight[s] == 1); /* empty: the default */
	assert_true(m->repair[s] == 0);
	assert_true(m->repair[h] == 4);
	assert_int_equal(m->layer[h], -1);
	assert_int_equal(m->group_size[m->node_group_start[h]], 2);
	an_model_free(m);

	/* nodes alone */
	cep_error_init(&err);
	assert_int_equal(an_load_csv("id\na\nb\n", 7, "nodes.csv", NULL, 0, NULL, &m, &err), 0);
	assert_int_equal(m->n_nodes, 2);
	an_model_free(m);
}

static void bad_csv(const char *nodes, const char *edges, int code, const char *field,
		    const char *where, const char *words)
{
	struct an_model *m = NULL;
	struct cep_error err;

	cep_error_init(&err);
	assert_int_equal(an_load_csv(nodes, strlen(nodes), "nodes.csv", edges,
				     edges ? strlen(edges) : 0, "edges.csv", &m, &err), code);
	assert_null(m);
	if (strcmp(err.field, field) != 0 || strncmp(err.message, where, strlen(where)) != 0 ||
	    !strstr(err.message, words))
		fail_msg("-> field '%s', message '%s'", err.field, err.message);
}

static void test_csv_bad(void **state)
{
	const char *nodes = "id,layer,weight\na,power/01,1\nb,power/01,1\nc,power/02,1\n"
			    "d,,1\ne,,1\nf,,1\n";

	(void)state;
	bad_csv("", NULL, CEP_EINVAL, "", "nodes.csv", "empty file");
	bad_csv("name,weight\nx,1\n", NULL, CEP_EINVAL, "id", "nodes.csv:1:",
		"no column id");
	bad_csv("id,colour\nx,red\n", NULL, CEP_EINVAL, "colour", "nodes.csv:1:2:",
		"unknown column");
	bad_csv("id,id\nx,y\n", NULL, CEP_EINVAL, "id", "nodes.csv:1:2:", "twice");
	bad_csv("id,layer,weight\na,x,1\nb,x,heavy\n", NULL, CEP_EINVAL, "weight",
		"nodes.csv:3:3:", "\"heavy\" is not a number");
	bad_csv("id,weight\na,1e999\n", NULL, CEP_EINVAL, "weight", "nodes.csv:2:2:",
		"not a number");
	bad_csv("id,weight\na,-3\n", NULL, CEP_EINVAL, "weight", "nodes.csv:2:2:", "weight");
	bad_csv("repair_hours,id\n-1,a\n", NULL, CEP_EINVAL, "repair_hours", "nodes.csv:2:1:",
		"repair_hours");
	bad_csv("id,source,layer\na,yes,x\n", NULL, CEP_EINVAL, "source", "nodes.csv:2:2:",
		"0 or 1");
	bad_csv("id,weight\na,1\nb\n", NULL, CEP_EINVAL, "", "nodes.csv:3:",
		"1 fields where the header has 2");
	bad_csv("id\na\n\"b\n", NULL, CEP_EPARSE, "", "nodes.csv:3:", "");
	bad_csv("id\na\na\n", NULL, CEP_EEXIST, "id", "nodes.csv:3:1:", "duplicate node id a");
	bad_csv("id\n\n", NULL, CEP_EINVAL, "id", "nodes.csv:2:1:", "id is required");

	/* edges: line 7, the `to` column, names an unknown node */
	bad_csv(nodes,
		"type,from,to\nlink,a,b\ndep,a,d\ndep,a,e\ndep,b,d\ndep,b,f\ndep,c,zz\n",
		CEP_EINVAL, "to", "edges.csv:7:3:", "unknown node zz");
	bad_csv(nodes, "from,to,type\nq,a,dep\n", CEP_EINVAL, "from", "edges.csv:2:1:",
		"unknown node q");
	bad_csv(nodes, "type,from\ndep,a\n", CEP_EINVAL, "to", "edges.csv:1:", "no column to");
	bad_csv(nodes, "type,from,to\nwire,a,b\n", CEP_EINVAL, "type", "edges.csv:2:1:",
		"dep or link");
	bad_csv(nodes, "type,from,to\nlink,a,c\n", CEP_EINVAL, "to", "edges.csv:2:3:",
		"not in one layer");
	bad_csv(nodes, "type,from,to,buffer_hours\nlink,a,b,3\n", CEP_EINVAL, "buffer_hours",
		"edges.csv:2:4:", "a link has no buffer_hours");
	bad_csv(nodes, "type,from,to,buffer_hours\ndep,a,d,-1\n", CEP_EINVAL, "buffer_hours",
		"edges.csv:2:4:", "buffer_hours");
	bad_csv(nodes, "type,from,to,buffer_hours\ndep,a,d,soon\n", CEP_EINVAL, "buffer_hours",
		"edges.csv:2:4:", "not a number");
	bad_csv(nodes, "type,from,to,group,need\ndep,a,d,g,0\n", CEP_EINVAL, "need",
		"edges.csv:2:5:", "whole number");
	bad_csv(nodes, "type,from,to,group,need\ndep,a,d,g,2\ndep,b,d,g,1\n", CEP_EINVAL, "need",
		"edges.csv:3:5:", "need 1 here but 2 before");
	bad_csv(nodes, "type,from,to,group,need\ndep,a,d,g,3\ndep,b,d,g,3\n", CEP_EINVAL, "need",
		"edges.csv: ", "node d needs 3 suppliers of a group that has 2");
	bad_csv(nodes, "type,from,to\ndep,d,d\n", CEP_EINVAL, "to", "edges.csv:2:3:",
		"depends on itself");
}

/* A model of 50,000 nodes and 200,000 edges in CSV loads whole. */
static void test_csv_large(void **state)
{
	struct cep_buf nb, eb;
	struct an_model *m = NULL;
	struct cep_error err;

	(void)state;
	cep_buf_init(&nb, 1u << 26);
	cep_buf_init(&eb, 1u << 26);
	assert_int_equal(cep_buf_puts(&nb, "id,sector,layer,source\n"), 0);
	for (int i = 0; i < 50000; i++)
		assert_int_equal(cep_buf_printf(&nb, "n%d,%s,%s,%d\n", i, i % 2 ? "gas" : "water",
						i < 25000 ? "power/13" : "", i == 0), 0);
	assert_int_equal(cep_buf_puts(&eb, "type,from,to,kind,buffer_hours\n"), 0);
	for (int i = 0; i < 200000; i++) {
		int a = (int)((i * 7919u) % 50000), b = (int)((i * 104729u + 1) % 50000);

		if (a == b)
			b = (b + 1) % 50000;
		if (i % 4 == 0 && a < 25000 && b < 25000)
			assert_int_equal(cep_buf_printf(&eb, "link,n%d,n%d,,\n", a, b), 0);
		else
			assert_int_equal(cep_buf_printf(&eb, "dep,n%d,n%d,power,%d\n", a, b, i % 5),
					 0);
	}
	cep_error_init(&err);
	if (an_load_csv(nb.data, nb.len, "nodes.csv", eb.data, eb.len, "edges.csv", &m, &err))
		fail_msg("%s", err.message);
	assert_int_equal(m->n_nodes, 50000);
	assert_int_equal(m->n_deps + m->n_links, 200000);
	an_model_free(m);
	cep_buf_free(&nb);
	cep_buf_free(&eb);
}

/* The same model from CSV and from JSON: the same arrays. The edge file has
 * named groups, lines ending in CRLF here and there and, half-way down, a
 * quoted kind holding a comma and quotes, where the reader's scan ahead
 * (hints only) stops: it must change nothing, before that row or after. */
static void test_csv_same_as_json(void **state)
{
	struct cep_buf nb, eb, jb;
	struct an_model *c = NULL, *j;
	struct cep_error err;
	const int N = 400, E = 2700; /* suppliers 7 rows each, all different */

	(void)state;
	cep_buf_init(&nb, 1u << 24);
	cep_buf_init(&eb, 1u << 24);
	cep_buf_init(&jb, 1u << 24);
	assert_int_equal(cep_buf_puts(&nb, "id,layer,source\n"), 0);
	assert_int_equal(cep_buf_puts(&jb, "{\"nodes\": ["), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(cep_buf_printf(&nb, "node-%d,%s,%d\n", i, i < 100 ? "L" : "", i == 0),
				 0);
		assert_int_equal(cep_buf_printf(&jb, "%s{\"id\": \"node-%d\"%s%s}", i ? "," : "", i,
						i < 100 ? ", \"layer\": \"L\"" : "",
						i == 0 ? ", \"source\": true" : ""),
				 0);
	}
	assert_int_equal(cep_buf_puts(&eb, "type,from,to,kind,buffer_hours,group,need\r\n"), 0);
	assert_int_equal(cep_buf_puts(&jb, "], \"dependencies\": ["), 0);
	for (int i = 0, deps = 0; i < E; i++) {
		int a = (int)((i / 7 * 7919u) % N), b = (a + 1 + i % 7 * 37) % N;
		const char *eol = i % 3 ? "\n" : "\r\n";
		const char *kind = i == E / 2 ? "\"power, \"\"backup\"\"\"" : "power";

		assert_int_equal(cep_buf_printf(&eb, "dep,node-%d,node-%d,%s,%d,%s,%s%s", a, b, kind,
						i % 4, i % 5 ? "g" : "", i % 5 ? "1" : "", eol),
				 0);
		assert_int_equal(cep_buf_printf(&jb, "%s{\"supplier\": \"node-%d\", \"dependent\": "
						"\"node-%d\", \"kind\": \"%s\", \"buffer_hours\": %d%s}",
						deps++ ? "," : "", a, b,
						i == E / 2 ? "power, \\\"backup\\\"" : "power", i % 4,
						i % 5 ? ", \"group\": \"g\", \"need\": 1" : ""),
				 0);
	}
	assert_int_equal(cep_buf_puts(&eb, "link,node-1,node-2,,,,\n"), 0);
	assert_int_equal(cep_buf_puts(&jb, "], \"links\": [[\"node-1\", \"node-2\"]]}"), 0);
	cep_error_init(&err);
	if (an_load_csv(nb.data, nb.len, "nodes.csv", eb.data, eb.len, "edges.csv", &c, &err))
		fail_msg("%s", err.message);
	j = load_json_ok(jb.data);
	assert_int_equal(c->n_nodes, j->n_nodes);
	assert_int_equal(c->n_deps, j->n_deps);
	assert_int_equal(c->n_deps, E);
	assert_int_equal(c->n_groups, j->n_groups);
	assert_int_equal(c->n_links, j->n_links);
	assert_memory_equal(c->dep_start, j->dep_start, (N + 1) * sizeof(uint64_t));
	assert_memory_equal(c->dep_dependent, j->dep_dependent, c->n_deps * sizeof(uint32_t));
	assert_memory_equal(c->dep_group, j->dep_group, c->n_deps * sizeof(uint32_t));
	assert_memory_equal(c->dep_kind, j->dep_kind, c->n_deps * sizeof(uint16_t));
	assert_memory_equal(c->dep_buffer, j->dep_buffer, c->n_deps * sizeof(double));
	assert_memory_equal(c->group_need, j->group_need, c->n_groups * sizeof(uint32_t));
	assert_memory_equal(c->group_size, j->group_size, c->n_groups * sizeof(uint32_t));
	assert_int_equal(c->dep_kinds.n, 2);
	assert_string_equal(c->dep_kinds.name[1], "power, \"backup\"");
	an_model_free(c);
	an_model_free(j);
	cep_buf_free(&nb);
	cep_buf_free(&eb);
	cep_buf_free(&jb);
}

/* Every allocation failing in turn: a clean CEP_ENOMEM, nothing leaked. */
static void test_alloc_failures(void **state)
{
	(void)state;
	for (long n = 0; n < 400; n++) {
		struct an_model *m = NULL;
		int rc;

		cep_alloc_fail_after(n);
		rc = an_load_json(good_json, strlen(good_json), "model.json", &m, NULL);
		cep_alloc_fail_after(-1);
		if (rc)
			assert_int_equal(rc, CEP_ENOMEM);
		an_model_free(m);
		cep_alloc_fail_after(n);
		rc = an_load_csv(good_nodes, strlen(good_nodes), "nodes.csv", good_edges,
				 strlen(good_edges), "edges.csv", &m, NULL);
		cep_alloc_fail_after(-1);
		if (rc)
			assert_int_equal(rc, CEP_ENOMEM);
		an_model_free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_good),
		cmocka_unit_test(test_json_bad),
		cmocka_unit_test(test_json_too_big),
		cmocka_unit_test(test_csv_good),
		cmocka_unit_test(test_csv_bad),
		cmocka_unit_test(test_csv_large),
		cmocka_unit_test(test_csv_same_as_json),
		cmocka_unit_test(test_alloc_failures),
	};

	cep_alloc_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
