/* gen_japan.c - the `japan` preset: a synthetic model of Japan's critical
 * infrastructure for exercises and benchmarks. Not a map of real facilities:
 * counts follow the population of the 47 prefectures (2020 census, rounded)
 * and the operator counts of seed 001's CEPTOAR characteristic map; topology,
 * buffers and repair times are plausible values, drawn at random from the
 * seed.
 *
 * Per prefecture PP (JIS code), three layers:
 *   power/PP   power plants (sources) tied to a ring of transmission
 *              substations with shortcuts; distribution substations fed from
 *              two transmission substations and chained to their neighbour;
 *   comms/PP   core exchanges (sources, fully meshed), local exchanges on two
 *              cores and a ring, base stations on a local exchange and a ring;
 *   water/PP   water plants (sources) in a ring, pumping stations hung on a
 *              random earlier node (a tree) with some loops.
 * Facilities of the ten sectors depend on them and on each other (table
 * `rules`): redundancy groups of k of n suppliers, buffers in hours. Classes
 * whose count is per operator (bank systems, municipal offices, cable and
 * broadcast stations, ...) give every operator at least one node at scale >= 1.
 *
 * Generation is sequential from one random stream (seed, 0x4a50): the same
 * seed and scale give the same model. */
#include "analysis/gen_int.h"
#include "analysis/rng.h"

#include "base/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NPREF 47
#define NATIONAL NPREF /* the "prefecture" slot of national classes */

struct pref {
	const char *name;
	double pop; /* millions, 2020 census rounded */
	int area;   /* power company area, index into areas */
};

/* Index i is JIS code i + 1. */
static const struct pref prefs[NPREF] = {
	{ "北海道", 5.225, 0 },   { "青森県", 1.238, 1 },   { "岩手県", 1.211, 1 },
	{ "宮城県", 2.302, 1 },   { "秋田県", 0.960, 1 },   { "山形県", 1.068, 1 },
	{ "福島県", 1.833, 1 },   { "茨城県", 2.867, 2 },   { "栃木県", 1.933, 2 },
	{ "群馬県", 1.939, 2 },   { "埼玉県", 7.345, 2 },   { "千葉県", 6.284, 2 },
	{ "東京都", 14.048, 2 },  { "神奈川県", 9.237, 2 }, { "新潟県", 2.201, 1 },
	{ "富山県", 1.035, 4 },   { "石川県", 1.133, 4 },   { "福井県", 0.767, 4 },
	{ "山梨県", 0.810, 2 },   { "長野県", 2.048, 3 },   { "岐阜県", 1.979, 3 },
	{ "静岡県", 3.633, 3 },   { "愛知県", 7.542, 3 },   { "三重県", 1.770, 3 },
	{ "滋賀県", 1.414, 5 },   { "京都府", 2.578, 5 },   { "大阪府", 8.838, 5 },
	{ "兵庫県", 5.465, 5 },   { "奈良県", 1.324, 5 },   { "和歌山県", 0.923, 5 },
	{ "鳥取県", 0.553, 6 },   { "島根県", 0.671, 6 },   { "岡山県", 1.888, 6 },
	{ "広島県", 2.800, 6 },   { "山口県", 1.342, 6 },   { "徳島県", 0.720, 7 },
	{ "香川県", 0.950, 7 },   { "愛媛県", 1.335, 7 },   { "高知県", 0.692, 7 },
	{ "福岡県", 5.135, 8 },   { "佐賀県", 0.811, 8 },   { "長崎県", 1.312, 8 },
	{ "熊本県", 1.738, 8 },   { "大分県", 1.124, 8 },   { "宮崎県", 1.070, 8 },
	{ "鹿児島県", 1.588, 8 }, { "沖縄県", 1.467, 9 },
};

#define NAREA 10
/* The prefecture (index) where each area's head offices are. */
static const int area_seat[NAREA] = { 0, 3, 12, 22, 15, 26, 33, 36, 39, 46 };

/* Operators, as counted in seed 001's CEPTOAR characteristic map. */
enum op {
	OP_EPCO,       /* electricity-epco-NN: the area's power company (10) */
	OP_PLANT,      /* power plants: the area's company, 1 in 8 a wholesaler (2) */
	OP_FIXED,      /* info-comm-telecom-01/02: fixed network, east / west */
	OP_MOBILE,     /* info-comm-telecom-03..06: mobile carriers */
	OP_DC,         /* info-comm-telecom-07..27: data centres */
	OP_CABLE,      /* info-comm-cable-NNN (246), by prefecture */
	OP_BROADCAST,  /* info-comm-broadcast-NNN (194), by prefecture */
	OP_BANK,       /* finance-bank-NNNN (1,561), by prefecture */
	OP_BRANCH,     /* a bank of the prefecture */
	OP_SECURITIES, /* finance-securities-NNN (253) */
	OP_INSURER,    /* finance-life-NN (43), finance-nonlife-NN (29) */
	OP_FIN_BODY,   /* finance-body-N (8: exchanges, clearing, payment) */
	OP_AIRLINE,    /* aviation-airline-N (2) */
	OP_AVI_BODY,   /* aviation-body-N (3): airports and ATC, weather */
	OP_RAIL,       /* railway-NN (22), by area */
	OP_GAS,        /* gas-NN (10), by area */
	OP_PREF_GOV,   /* government-pref-NN (47) */
	OP_MUNI,       /* government-muni-NNNN (1,742), by prefecture */
	OP_HOSPITAL,   /* medical-hospital-NNNNN: each hospital */
	OP_WATER,      /* water-utility-NNNN (1,350), by prefecture */
	OP_LOGISTICS,  /* logistics-NN (16) */
	OP_LOG_BODY,   /* logistics-body-N (6): fuel depots */
};

enum layer_role { L_NONE, L_POWER, L_COMMS, L_WATER };

/* A class of nodes. Per prefecture: count = max(min, round(rate * pop * scale))
 * (rate per million people), or, with per_op, one per operator of the
 * prefecture times scale (at least 1). National classes (fixed > 0) have that
 * many nodes whatever the scale, placed by population. weight: the share of the
 * population (of the prefecture, or national) the class serves, split among
 * its nodes. repair: hours to restart once its causes are gone (a black start
 * of a plant takes about a day; a base station comes back within hours). */
struct nclass {
	const char *kind, *ja, *sector;
	enum layer_role layer;
	int source;
	double rate;
	uint32_t min, fixed;
	int per_op;
	double weight, repair;
	enum op op;
};

enum {
	C_PLANT, C_TSUB, C_DSUB, C_CORE, C_LOCAL, C_BASE, C_WPLANT, C_PUMP, C_DC, C_CABLE,
	C_BROADCAST, C_BANK, C_BRANCH, C_PAYMENT, C_EXCHANGE, C_SECURITIES, C_INSURER, C_AIRPORT,
	C_ATC, C_AIRLINE, C_WEATHER, C_RAILCTL, C_RAILWAY, C_GASGOV, C_PREFOFF, C_MUNI,
	C_HOSPITAL, C_HUB, C_FUEL, NCLASS
};

static const struct nclass classes[NCLASS] = {
	[C_PLANT] = { "power-plant", "発電所", "electricity", L_POWER, 1, 1.0, 2, 0, 0, 0, 24, OP_PLANT },
	[C_TSUB] = { "transmission-substation", "送電用変電所", "electricity", L_POWER, 0, 8, 4, 0, 0, 0, 6, OP_EPCO },
	[C_DSUB] = { "distribution-substation", "配電用変電所", "electricity", L_POWER, 0, 40, 8, 0, 0, 1, 4, OP_EPCO },
	[C_CORE] = { "core-exchange", "中継交換局", "info-comm", L_COMMS, 1, 0.6, 2, 0, 0, 0, 6, OP_FIXED },
	[C_LOCAL] = { "local-exchange", "加入者交換局", "info-comm", L_COMMS, 0, 16, 4, 0, 0, 0.3, 4, OP_FIXED },
	[C_BASE] = { "base-station", "携帯基地局", "info-comm", L_COMMS, 0, 80, 10, 0, 0, 1, 2, OP_MOBILE },
	[C_WPLANT] = { "water-plant", "浄水場", "water", L_WATER, 1, 2, 2, 0, 0, 0, 12, OP_WATER },
	[C_PUMP] = { "pumping-station", "配水ポンプ場", "water", L_WATER, 0, 24, 4, 0, 0, 1, 4, OP_WATER },
	[C_DC] = { "data-centre", "データセンター", "info-comm", L_NONE, 0, 1.5, 1, 0, 0, 0, 4, OP_DC },
	[C_CABLE] = { "cable-headend", "ケーブルテレビ局", "info-comm", L_NONE, 0, 0, 0, 0, 1, 0.5, 2, OP_CABLE },
	[C_BROADCAST] = { "broadcast-station", "放送局", "info-comm", L_NONE, 0, 0, 0, 0, 1, 1, 2, OP_BROADCAST },
	[C_BANK] = { "bank-system", "勘定系システム", "finance", L_NONE, 0, 0, 0, 1561, 0, 1, 6, OP_BANK },
	[C_BRANCH] = { "bank-branch", "銀行支店", "finance", L_NONE, 0, 30, 3, 0, 0, 0.5, 2, OP_BRANCH },
	[C_PAYMENT] = { "payment-centre", "決済システムセンター", "finance", L_NONE, 0, 0, 0, 2, 0, 0, 6, OP_FIN_BODY },
	[C_EXCHANGE] = { "exchange-system", "取引所システム", "finance", L_NONE, 0, 0, 0, 2, 0, 0, 6, OP_FIN_BODY },
	[C_SECURITIES] = { "securities-system", "証券会社システム", "finance", L_NONE, 0, 0, 0, 253, 0, 0.2, 4, OP_SECURITIES },
	[C_INSURER] = { "insurer-system", "保険会社システム", "finance", L_NONE, 0, 0, 0, 72, 0, 0.3, 4, OP_INSURER },
	[C_AIRPORT] = { "airport", "空港", "aviation", L_NONE, 0, 0.3, 1, 0, 0, 0.05, 6, OP_AVI_BODY },
	[C_ATC] = { "atc-centre", "航空交通管制部", "aviation", L_NONE, 0, 0, 0, 4, 0, 0, 4, OP_AVI_BODY },
	[C_AIRLINE] = { "airline-operations", "運航管理システム", "aviation", L_NONE, 0, 0, 0, 2, 0, 0, 4, OP_AIRLINE },
	[C_WEATHER] = { "weather-system", "気象情報システム", "aviation", L_NONE, 0, 0, 0, 2, 0, 0, 2, OP_AVI_BODY },
	[C_RAILCTL] = { "rail-control", "運行管理センター", "railway", L_NONE, 0, 0, 0, 22, 0, 0, 4, OP_RAIL },
	[C_RAILWAY] = { "railway-line", "鉄道路線区間", "railway", L_NONE, 0, 25, 2, 0, 0, 0.3, 3, OP_RAIL },
	[C_GASGOV] = { "gas-governor", "ガス整圧器", "gas", L_NONE, 0, 10, 2, 0, 0, 0.5, 6, OP_GAS },
	[C_PREFOFF] = { "prefectural-office", "都道府県庁", "government", L_NONE, 0, 0, 1, 0, 0, 1, 4, OP_PREF_GOV },
	[C_MUNI] = { "municipal-office", "市区町村役場", "government", L_NONE, 0, 0, 0, 0, 1, 1, 4, OP_MUNI },
	[C_HOSPITAL] = { "hospital", "病院", "medical", L_NONE, 0, 65, 5, 0, 0, 1, 6, OP_HOSPITAL },
	[C_HUB] = { "logistics-hub", "物流センター", "logistics", L_NONE, 0, 15, 2, 0, 0, 1, 4, OP_LOGISTICS },
	[C_FUEL] = { "fuel-depot", "燃料油槽所", "logistics", L_NONE, 0, 2, 1, 0, 0, 0, 8, OP_LOG_BODY },
};

enum scope { SAME, NATION, OWNER };

/* A dependency rule: each node of class `dep` depends on n suppliers of class
 * `sup` (of its prefecture, of the nation, or its owner's) and needs k of them;
 * buffer uniform in [lo, hi] hours (by half hours). */
struct rule {
	int dep, sup;
	const char *kind;
	uint32_t n, k;
	double lo, hi;
	enum scope scope;
};

static const struct rule rules[] = {
	{ C_PLANT, C_FUEL, "fuel", 2, 1, 168, 336, SAME },
	{ C_TSUB, C_LOCAL, "communications", 2, 1, 12, 24, SAME },
	{ C_DSUB, C_LOCAL, "communications", 2, 1, 24, 48, SAME },
	{ C_CORE, C_TSUB, "power", 3, 1, 48, 72, SAME },
	{ C_LOCAL, C_DSUB, "power", 3, 1, 24, 72, SAME },
	{ C_BASE, C_DSUB, "power", 2, 1, 3, 6, SAME },
	{ C_WPLANT, C_DSUB, "power", 2, 1, 6, 12, SAME },
	{ C_WPLANT, C_LOCAL, "communications", 2, 1, 24, 48, SAME },
	{ C_PUMP, C_DSUB, "power", 2, 1, 0, 0, SAME },
	{ C_PUMP, C_LOCAL, "communications", 2, 1, 12, 24, SAME },
	{ C_DC, C_DSUB, "power", 3, 1, 24, 48, SAME },
	{ C_DC, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_DC, C_FUEL, "fuel", 2, 1, 48, 72, SAME },
	{ C_DC, C_PUMP, "water", 2, 1, 12, 24, SAME },
	{ C_CABLE, C_DSUB, "power", 2, 1, 3, 6, SAME },
	{ C_CABLE, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_BROADCAST, C_DSUB, "power", 2, 1, 48, 72, SAME },
	{ C_BROADCAST, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_BANK, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_BANK, C_PAYMENT, "payment", 2, 1, 0, 2, NATION },
	{ C_BANK, C_CORE, "communications", 3, 1, 0, 0, SAME },
	{ C_BANK, C_DSUB, "power", 3, 1, 24, 48, SAME },
	{ C_BRANCH, C_BANK, "it-service", 1, 1, 0, 0, OWNER },
	{ C_BRANCH, C_BASE, "communications", 3, 1, 0, 1, SAME },
	{ C_BRANCH, C_DSUB, "power", 3, 1, 0, 0, SAME },
	{ C_PAYMENT, C_DSUB, "power", 3, 1, 72, 72, SAME },
	{ C_PAYMENT, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_PAYMENT, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_PAYMENT, C_FUEL, "fuel", 2, 1, 72, 120, SAME },
	{ C_EXCHANGE, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_EXCHANGE, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_EXCHANGE, C_DSUB, "power", 3, 1, 48, 72, SAME },
	{ C_SECURITIES, C_EXCHANGE, "it-service", 2, 1, 0, 0, NATION },
	{ C_SECURITIES, C_PAYMENT, "payment", 2, 1, 0, 2, NATION },
	{ C_SECURITIES, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_SECURITIES, C_DSUB, "power", 2, 1, 24, 48, SAME },
	{ C_INSURER, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_INSURER, C_PAYMENT, "payment", 2, 1, 0, 24, NATION },
	{ C_INSURER, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_INSURER, C_DSUB, "power", 2, 1, 24, 48, SAME },
	{ C_AIRPORT, C_DSUB, "power", 3, 1, 24, 72, SAME },
	{ C_AIRPORT, C_LOCAL, "communications", 2, 1, 0, 0, SAME },
	{ C_AIRPORT, C_ATC, "transport", 2, 1, 0, 0, NATION },
	{ C_AIRPORT, C_AIRLINE, "it-service", 2, 1, 0, 0, NATION },
	{ C_AIRPORT, C_FUEL, "fuel", 2, 1, 72, 168, SAME },
	{ C_AIRPORT, C_PUMP, "water", 1, 1, 24, 48, SAME },
	{ C_ATC, C_TSUB, "power", 3, 1, 72, 72, SAME },
	{ C_ATC, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_ATC, C_WEATHER, "it-service", 2, 1, 1, 3, NATION },
	{ C_AIRLINE, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_AIRLINE, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_AIRLINE, C_DSUB, "power", 2, 1, 48, 72, SAME },
	{ C_WEATHER, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_WEATHER, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_WEATHER, C_DSUB, "power", 2, 1, 72, 72, SAME },
	{ C_RAILCTL, C_DSUB, "power", 2, 1, 24, 48, SAME },
	{ C_RAILCTL, C_CORE, "communications", 2, 1, 0, 0, SAME },
	{ C_RAILWAY, C_TSUB, "power", 3, 1, 0, 0, SAME },
	{ C_RAILWAY, C_RAILCTL, "it-service", 1, 1, 0, 0, OWNER },
	{ C_RAILWAY, C_LOCAL, "communications", 3, 1, 0, 1, SAME },
	{ C_GASGOV, C_LOCAL, "communications", 2, 1, 24, 72, SAME },
	{ C_GASGOV, C_DSUB, "power", 2, 1, 12, 24, SAME },
	{ C_PREFOFF, C_DSUB, "power", 3, 1, 72, 72, SAME },
	{ C_PREFOFF, C_LOCAL, "communications", 2, 1, 0, 0, SAME },
	{ C_PREFOFF, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_PREFOFF, C_PUMP, "water", 1, 1, 72, 72, SAME },
	{ C_MUNI, C_DSUB, "power", 3, 1, 72, 72, SAME },
	{ C_MUNI, C_LOCAL, "communications", 3, 1, 0, 0, SAME },
	{ C_MUNI, C_DC, "it-service", 2, 1, 0, 0, SAME },
	{ C_MUNI, C_PUMP, "water", 2, 1, 72, 72, SAME },
	{ C_HOSPITAL, C_DSUB, "power", 3, 1, 72, 72, SAME },
	{ C_HOSPITAL, C_PUMP, "water", 2, 1, 24, 72, SAME },
	{ C_HOSPITAL, C_BASE, "communications", 3, 1, 0, 2, SAME },
	{ C_HOSPITAL, C_DC, "it-service", 2, 1, 0, 4, SAME },
	{ C_HOSPITAL, C_FUEL, "fuel", 2, 1, 72, 96, SAME },
	{ C_HOSPITAL, C_GASGOV, "gas", 1, 1, 0, 12, SAME },
	{ C_HUB, C_DSUB, "power", 3, 1, 0, 12, SAME },
	{ C_HUB, C_BASE, "communications", 3, 1, 0, 0, SAME },
	{ C_HUB, C_FUEL, "fuel", 2, 1, 24, 48, SAME },
	{ C_HUB, C_DC, "it-service", 2, 1, 0, 4, SAME },
	{ C_HUB, C_RAILWAY, "transport", 2, 1, 24, 72, SAME },
	{ C_FUEL, C_DSUB, "power", 1, 1, 12, 24, SAME },
	{ C_FUEL, C_LOCAL, "communications", 2, 1, 12, 24, SAME },
	{ C_FUEL, C_HUB, "logistics", 2, 1, 48, 96, SAME },
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* Operator totals (seed 001) and the prefectures' shares of them. */
#define N_CABLE 246u
#define N_BROADCAST 194u
#define N_BANK 1561u
#define N_MUNI 1742u
#define N_WATER 1350u
#define N_RAIL 22u
#define N_TELECOM 27u
#define N_DC_OPS 21u /* telecom-07 .. telecom-27 */
#define N_MOBILE 4u  /* telecom-03 .. telecom-06 */
#define N_LOGISTICS 16u
#define N_LOG_BODY 6u
#define N_LIFE 43u

/* What the generator computes before it makes nodes. */
struct plan {
	double scale;
	uint32_t count[NCLASS][NPREF + 1]; /* nodes per class and prefecture (NATIONAL: national) */
	uint32_t ops[NCLASS][NPREF];       /* per_op classes: operators per prefecture */
	uint32_t op_first[NCLASS][NPREF];  /* their first operator number (0-based) */
	uint32_t bank_first[NPREF], banks[NPREF]; /* banks by prefecture (for branches) */
	uint64_t nodes, edges;
};

/* Split total among the prefectures by population (largest remainder), at
 * least min each. */
static void apportion(uint32_t total, uint32_t min, uint32_t *out)
{
	double pop = 0, rem[NPREF];
	uint32_t given = 0;

	for (int p = 0; p < NPREF; p++)
		pop += prefs[p].pop;
	for (int p = 0; p < NPREF; p++) {
		double share = total * prefs[p].pop / pop;

		out[p] = (uint32_t)share;
		rem[p] = share - out[p];
		if (out[p] < min) {
			out[p] = min;
			rem[p] = -1;
		}
		given += out[p];
	}
	while (given < total) { /* the largest remainders get one more */
		int best = 0;

		for (int p = 1; p < NPREF; p++)
			if (rem[p] > rem[best])
				best = p;
		out[best]++;
		rem[best] = -1;
		given++;
	}
}

static uint32_t round_count(double x, uint32_t min)
{
	double r = floor(x + 0.5);

	return r < min ? min : r > 4e9 ? 4000000000u : (uint32_t)r;
}

/* Links each layer class adds per node, about (for the estimate). */
static double links_per_node(int c)
{
	switch (c) {
	case C_PLANT: return 3;
	case C_TSUB: return 2.3;
	case C_DSUB: return 5;
	case C_LOCAL: return 4;
	case C_BASE: return 5;
	case C_WPLANT: return 1;
	case C_PUMP: return 1.8;
	default: return 0;
	}
}

static void make_plan(double scale, struct plan *pl)
{
	uint32_t per_pref[NPREF];

	memset(pl, 0, sizeof(*pl));
	pl->scale = scale;
	apportion(N_BANK, 1, pl->banks);
	for (int p = 1; p < NPREF; p++)
		pl->bank_first[p] = pl->bank_first[p - 1] + pl->banks[p - 1];
	for (int c = 0; c < NCLASS; c++) {
		const struct nclass *k = &classes[c];

		if (k->fixed) {
			pl->count[c][NATIONAL] = k->fixed;
		} else if (k->per_op) {
			uint32_t total = c == C_CABLE ? N_CABLE : c == C_BROADCAST ? N_BROADCAST : N_MUNI;

			apportion(total, 1, per_pref);
			for (int p = 0; p < NPREF; p++) {
				pl->ops[c][p] = per_pref[p];
				pl->op_first[c][p] = p ? pl->op_first[c][p - 1] + pl->ops[c][p - 1] : 0;
				pl->count[c][p] = round_count(per_pref[p] * scale, 1);
			}
		} else {
			for (int p = 0; p < NPREF; p++)
				pl->count[c][p] = round_count(k->rate * prefs[p].pop * scale, k->min);
		}
	}
	/* every water utility of a prefecture runs at least one of its stations */
	apportion(N_WATER, 1, per_pref);
	for (int p = 0; p < NPREF; p++) {
		pl->ops[C_PUMP][p] = per_pref[p];
		pl->op_first[C_PUMP][p] = p ? pl->op_first[C_PUMP][p - 1] + pl->ops[C_PUMP][p - 1] : 0;
		if (scale >= 1 && pl->count[C_PUMP][p] < per_pref[p])
			pl->count[C_PUMP][p] = per_pref[p];
	}
	for (int c = 0; c < NCLASS; c++) {
		uint64_t n = 0;
		double deps = 0;

		for (int p = 0; p <= NPREF; p++)
			n += pl->count[c][p];
		for (size_t r = 0; r < NRULES; r++)
			if (rules[r].dep == c)
				deps += rules[r].n;
		pl->nodes += n;
		pl->edges += (uint64_t)(n * (deps + links_per_node(c)));
	}
}

double an_gen_japan_nodes(double scale)
{
	struct plan pl;

	make_plan(scale, &pl);
	return (double)pl.nodes;
}

double an_gen_japan_edges(double scale)
{
	struct plan pl;

	make_plan(scale, &pl);
	return (double)pl.edges;
}

/* ---- generation ----------------------------------------------------------- */

struct gen {
	struct an_builder *b;
	struct an_rng r;
	struct plan pl;
	uint32_t start[NCLASS][NPREF + 1]; /* first node of each (class, prefecture) block */
	uint32_t serial[NCLASS];           /* nodes made so far of each class */
	uint8_t *pref_of;                  /* per node: its prefecture */
	struct gen_tick tick;
	struct cep_error *err;
};

/* Where national node k of class c stands. */
static int place(const struct plan *pl, int c, uint32_t k)
{
	static const int atc[] = { 0, 10, 27, 39 };

	switch (c) {
	case C_BANK:
		for (int p = NPREF - 1; p >= 0; p--)
			if (k >= pl->bank_first[p])
				return p;
		return 0;
	case C_PAYMENT:
	case C_EXCHANGE:
	case C_AIRLINE:
	case C_WEATHER:
		return k % 2 ? 26 : 12;
	case C_ATC:
		return atc[k % 4];
	case C_RAILCTL:
		return area_seat[k % NAREA];
	case C_SECURITIES:
	case C_INSURER:
		return k % 4 ? 12 : area_seat[(k / 4) % NAREA];
	default:
		return 12;
	}
}

/* The operator of node k (of its class and prefecture; serial: of its class). */
static void op_id(const struct gen *g, int c, int p, uint32_t k, uint32_t serial, char *buf,
		  size_t size)
{
	const struct plan *pl = &g->pl;
	int area = prefs[p].area;

	switch (classes[c].op) {
	case OP_EPCO:
		snprintf(buf, size, "electricity-epco-%02d", area + 1);
		break;
	case OP_PLANT:
		if (serial % 8 == 7)
			snprintf(buf, size, "electricity-wholesale-%u", (serial / 8) % 2 + 1);
		else
			snprintf(buf, size, "electricity-epco-%02d", area + 1);
		break;
	case OP_FIXED:
		snprintf(buf, size, "info-comm-telecom-%02d", area <= 2 ? 1 : 2);
		break;
	case OP_MOBILE:
		snprintf(buf, size, "info-comm-telecom-%02u", 3 + k % N_MOBILE);
		break;
	case OP_DC:
		snprintf(buf, size, "info-comm-telecom-%02u", 3 + N_MOBILE + serial % N_DC_OPS);
		break;
	case OP_CABLE:
		snprintf(buf, size, "info-comm-cable-%03u",
			 pl->op_first[c][p] + k % pl->ops[c][p] + 1);
		break;
	case OP_BROADCAST:
		snprintf(buf, size, "info-comm-broadcast-%03u",
			 pl->op_first[c][p] + k % pl->ops[c][p] + 1);
		break;
	case OP_MUNI:
		snprintf(buf, size, "government-muni-%04u",
			 pl->op_first[c][p] + k % pl->ops[c][p] + 1);
		break;
	case OP_WATER:
		snprintf(buf, size, "water-utility-%04u",
			 pl->op_first[C_PUMP][p] + k % pl->ops[C_PUMP][p] + 1);
		break;
	case OP_BANK:
		snprintf(buf, size, "finance-bank-%04u", k + 1);
		break;
	case OP_BRANCH:
		snprintf(buf, size, "finance-bank-%04u", pl->bank_first[p] + k % pl->banks[p] + 1);
		break;
	case OP_SECURITIES:
		snprintf(buf, size, "finance-securities-%03u", k + 1);
		break;
	case OP_INSURER:
		if (k < N_LIFE)
			snprintf(buf, size, "finance-life-%02u", k + 1);
		else
			snprintf(buf, size, "finance-nonlife-%02u", k - N_LIFE + 1);
		break;
	case OP_FIN_BODY:
		snprintf(buf, size, "finance-body-%u", c == C_PAYMENT ? 1 : 2 + k);
		break;
	case OP_AIRLINE:
		snprintf(buf, size, "aviation-airline-%u", k + 1);
		break;
	case OP_AVI_BODY:
		snprintf(buf, size, "aviation-body-%d", c == C_WEATHER ? 2 : 1);
		break;
	case OP_RAIL:
		snprintf(buf, size, "railway-%02u", k + 1);
		break;
	case OP_GAS:
		snprintf(buf, size, "gas-%02d", area + 1);
		break;
	case OP_PREF_GOV:
		snprintf(buf, size, "government-pref-%02d", p + 1);
		break;
	case OP_HOSPITAL:
		snprintf(buf, size, "medical-hospital-%05u", serial + 1);
		break;
	case OP_LOGISTICS:
		snprintf(buf, size, "logistics-%02u", serial % N_LOGISTICS + 1);
		break;
	case OP_LOG_BODY:
		snprintf(buf, size, "logistics-body-%u", serial % N_LOG_BODY + 1);
		break;
	}
}

/* The railway company of line k in prefecture p: one of those of its area. */
static uint32_t rail_company(int p, uint32_t k)
{
	uint32_t area = (uint32_t)prefs[p].area, n = 0;

	for (uint32_t c = area; c < N_RAIL; c += NAREA)
		n++;
	return area + NAREA * (k % n);
}

static double total_pop(void)
{
	double t = 0;

	for (int p = 0; p < NPREF; p++)
		t += prefs[p].pop;
	return t;
}

/* Make the nodes of class c in slot p (a prefecture or NATIONAL). */
static int make_nodes(struct gen *g, int c, int p)
{
	const struct nclass *k = &classes[c];
	uint32_t n = g->pl.count[c][p];
	char id[64], name[160], op[48], layer[24], region[16];
	double served = (p == NATIONAL ? total_pop() : prefs[p].pop) * 1e6 * k->weight;
	static const char *const layer_names[] = { NULL, "power", "comms", "water" };
	int rc = 0;

	for (uint32_t i = 0; i < n && !rc; i++) {
		int at = p == NATIONAL ? place(&g->pl, c, i) : p;
		uint32_t serial = g->serial[c]++, idx;
		uint32_t opk = c == C_RAILWAY ? rail_company(at, i) : i;
		struct an_node_spec s = { .id = id, .name = name, .sector = k->sector,
					  .operator_id = op, .region = region, .kind = k->kind,
					  .weight = served / n, .repair_hours = k->repair,
					  .source = k->source };

		if (p == NATIONAL)
			snprintf(id, sizeof(id), "jp/%s/%u", k->kind, i + 1);
		else
			snprintf(id, sizeof(id), "%02d/%s/%u", p + 1, k->kind, i + 1);
		snprintf(name, sizeof(name), "%s %s %u", prefs[at].name, k->ja, i + 1);
		snprintf(region, sizeof(region), "%02d", at + 1);
		op_id(g, c, at, c == C_RAILCTL ? i : opk, serial, op, sizeof(op));
		if (k->layer != L_NONE) {
			snprintf(layer, sizeof(layer), "%s/%02d", layer_names[k->layer], at + 1);
			s.layer = layer;
		}
		rc = an_builder_add_node(g->b, &s, &idx, g->err);
		if (!rc) {
			g->pref_of[idx] = (uint8_t)at;
			rc = gen_tick_add(&g->tick, 1, g->err);
		}
	}
	return rc;
}

static int link(struct gen *g, uint32_t a, uint32_t b)
{
	int rc;

	if (a == b)
		return 0;
	rc = an_builder_add_link(g->b, a, b, g->err);
	return rc ? rc : gen_tick_add(&g->tick, 1, g->err);
}

/* Node i of class c in prefecture p. */
#define NODE(c, p, i) (g->start[c][p] + (i))

static uint32_t pick(struct gen *g, uint32_t n)
{
	return an_rng_below(&g->r, n);
}

/* The links of prefecture p's three layers. */
static int make_links(struct gen *g, int p)
{
	uint32_t np = g->pl.count[C_PLANT][p], nt = g->pl.count[C_TSUB][p];
	uint32_t nd = g->pl.count[C_DSUB][p], nc = g->pl.count[C_CORE][p];
	uint32_t nl = g->pl.count[C_LOCAL][p], nb = g->pl.count[C_BASE][p];
	uint32_t nw = g->pl.count[C_WPLANT][p], nu = g->pl.count[C_PUMP][p];
	int rc = 0;

	/* power: a ring of transmission substations with shortcuts; plants on two
	 * of them; distribution substations on two and chained */
	for (uint32_t i = 0; i < nt && !rc; i++) {
		rc = link(g, NODE(C_TSUB, p, i), NODE(C_TSUB, p, (i + 1) % nt));
		if (!rc && an_rng_unit(&g->r) < 0.3)
			rc = link(g, NODE(C_TSUB, p, i), NODE(C_TSUB, p, pick(g, nt)));
	}
	for (uint32_t i = 0; i < np && !rc; i++) {
		uint32_t a = pick(g, nt), b = (a + 1 + pick(g, nt - 1)) % nt;

		rc = link(g, NODE(C_PLANT, p, i), NODE(C_TSUB, p, a));
		if (!rc)
			rc = link(g, NODE(C_PLANT, p, i), NODE(C_TSUB, p, b));
	}
	for (uint32_t i = 0; i < nd && !rc; i++) {
		uint32_t a = pick(g, nt), b = (a + 1 + pick(g, nt - 1)) % nt;

		rc = link(g, NODE(C_DSUB, p, i), NODE(C_TSUB, p, a));
		if (!rc)
			rc = link(g, NODE(C_DSUB, p, i), NODE(C_TSUB, p, b));
		for (uint32_t back = 1; back <= 3 && back <= i && !rc; back++)
			rc = link(g, NODE(C_DSUB, p, i), NODE(C_DSUB, p, i - back));
	}
	/* communications: cores meshed; local exchanges on two cores and a ring;
	 * base stations on one or two local exchanges and chained */
	for (uint32_t i = 0; i < nc && !rc; i++)
		for (uint32_t j = i + 1; j < nc && !rc; j++)
			rc = link(g, NODE(C_CORE, p, i), NODE(C_CORE, p, j));
	for (uint32_t i = 0; i < nl && !rc; i++) {
		uint32_t a = pick(g, nc), b = (a + 1 + pick(g, nc - 1)) % nc;

		rc = link(g, NODE(C_LOCAL, p, i), NODE(C_CORE, p, a));
		if (!rc)
			rc = link(g, NODE(C_LOCAL, p, i), NODE(C_CORE, p, b));
		if (!rc)
			rc = link(g, NODE(C_LOCAL, p, i), NODE(C_LOCAL, p, (i + 1) % nl));
	}
	for (uint32_t i = 0; i < nb && !rc; i++) {
		uint32_t a = pick(g, nl), b = (a + 1 + pick(g, nl - 1)) % nl;

		rc = link(g, NODE(C_BASE, p, i), NODE(C_LOCAL, p, a));
		if (!rc)
			rc = link(g, NODE(C_BASE, p, i), NODE(C_LOCAL, p, b));
		for (uint32_t back = 1; back <= 2 && back <= i && !rc; back++)
			rc = link(g, NODE(C_BASE, p, i), NODE(C_BASE, p, i - back));
		if (!rc && i > 3)
			rc = link(g, NODE(C_BASE, p, i), NODE(C_BASE, p, i - 3 - pick(g, i < 10 ? i - 3 : 7)));
	}
	/* water: plants in a ring; pumping stations on an earlier node, some looped */
	for (uint32_t i = 0; i < nw && !rc; i++)
		if (nw > 2 || i == 0)
			rc = link(g, NODE(C_WPLANT, p, i), NODE(C_WPLANT, p, (i + 1) % nw));
	for (uint32_t i = 0; i < nu && !rc; i++) {
		for (int extra = 0; extra < 2 && !rc; extra++) {
			uint32_t j = pick(g, nw + i);
			uint32_t to = j < nw ? NODE(C_WPLANT, p, j) : NODE(C_PUMP, p, j - nw);

			if (extra && an_rng_unit(&g->r) >= 0.8)
				break;
			rc = link(g, NODE(C_PUMP, p, i), to);
		}
	}
	return rc;
}

/* The group name of rule r: its kind, with a number when an earlier rule of
 * the same class has the same kind. */
static void group_name(size_t r, char *buf, size_t size)
{
	int same = 0;

	for (size_t q = 0; q < r; q++)
		same += rules[q].dep == rules[r].dep && strcmp(rules[q].kind, rules[r].kind) == 0;
	if (same)
		snprintf(buf, size, "%s-%d", rules[r].kind, same + 1);
	else
		snprintf(buf, size, "%s", rules[r].kind);
}

/* The dependencies of node v (class c, prefecture p, number i in its block) by rule r. */
static int make_deps(struct gen *g, size_t r, uint32_t v, int c, uint32_t i)
{
	const struct rule *ru = &rules[r];
	int p = g->pref_of[v], pool_p = classes[ru->sup].fixed ? NATIONAL : p;
	uint32_t m = g->pl.count[ru->sup][pool_p], n = ru->n < m ? ru->n : m, chosen[4];
	double span = (ru->hi - ru->lo) * 2 + 1;
	char group[32];
	int rc = 0;

	if (ru->scope == OWNER) {
		uint32_t owner = c == C_BRANCH ? g->pl.bank_first[p] + i % g->pl.banks[p]
					       : rail_company(p, i);

		chosen[0] = NODE(ru->sup, NATIONAL, owner);
		n = 1;
	} else {
		for (uint32_t k = 0; k < n; k++) {
			uint32_t x;
			int dup;

			do { /* n distinct suppliers */
				x = NODE(ru->sup, pool_p, pick(g, m));
				dup = 0;
				for (uint32_t q = 0; q < k; q++)
					dup |= chosen[q] == x;
			} while (dup);
			chosen[k] = x;
		}
	}
	group_name(r, group, sizeof(group));
	for (uint32_t k = 0; k < n && !rc; k++) {
		double buf = ru->lo + floor(an_rng_unit(&g->r) * span) / 2;
		uint32_t need = ru->k < n ? ru->k : n;

		rc = an_builder_add_dep(g->b, chosen[k], v, ru->kind, buf > ru->hi ? ru->hi : buf,
					n == 1 && need == 1 ? NULL : group, need, g->err);
		if (!rc)
			rc = gen_tick_add(&g->tick, 1, g->err);
	}
	return rc;
}

int an_gen_japan(const struct an_gen_spec *s, const struct an_progress *progress,
		 struct an_model **ret, struct cep_error *err)
{
	struct gen *g = cep_calloc(1, sizeof(*g));
	uint32_t next = 0;
	int rc = 0;

	if (!g)
		return cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
	g->err = err;
	make_plan(s->scale, &g->pl);
	an_rng_init(&g->r, s->seed, 0x4a50);
	g->b = an_builder_new();
	g->pref_of = cep_malloc(g->pl.nodes + 1);
	if (!g->b || !g->pref_of) {
		rc = cep_error_set(err, CEP_ENOMEM, NULL, "out of memory");
		goto out;
	}
	gen_tick_init(&g->tick, progress, (unsigned long)(g->pl.nodes + g->pl.edges));
	/* nodes: prefecture by prefecture, then the national ones */
	for (int p = 0; p <= NPREF && !rc; p++) {
		for (int c = 0; c < NCLASS && !rc; c++) {
			g->start[c][p] = next;
			next += g->pl.count[c][p];
			rc = make_nodes(g, c, p);
		}
	}
	for (int p = 0; p < NPREF && !rc; p++)
		rc = make_links(g, p);
	for (int c = 0; c < NCLASS && !rc; c++) {
		for (int p = 0; p <= NPREF && !rc; p++) {
			for (uint32_t i = 0; i < g->pl.count[c][p] && !rc; i++) {
				for (size_t r = 0; r < NRULES && !rc; r++)
					if (rules[r].dep == c)
						rc = make_deps(g, r, NODE(c, p, i), c, i);
			}
		}
	}
	if (!rc) {
		rc = an_builder_finish(g->b, ret, err);
		g->b = NULL;
	}
out:
	an_builder_free(g->b);
	cep_free(g->pref_of);
	cep_free(g);
	return rc;
}
