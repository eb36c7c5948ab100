/* report_out.c - the after-action report (exercise_report's JSON) as CSV,
 * one row per inject and player, and as one self-contained HTML page with
 * its charts drawn in SVG and a layout for printing (to paper or PDF). */
#include "exercise/internal.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"

#include <stdio.h>
#include <string.h>

#define OUT_MAX (64u << 20)

static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

/* A scenario duration (seconds, or null) as "1h05m" / "12m" / "-". */
static void dur(const json_t *v, char out[32])
{
	int64_t s;

	if (!json_is_integer(v)) {
		snprintf(out, 32, "-");
		return;
	}
	s = json_integer_value(v);
	if (s >= 3600)
		snprintf(out, 32, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(out, 32, "%lldm", (long long)((s + 59) / 60));
}

int exercise_report_csv(const json_t *report, char **ret, size_t *ret_len)
{
	static const char *const times[] = { "report_s", "ack_s", "share_s", "cause_s" };
	struct cep_buf b;
	json_t *r;
	size_t i;
	int rc;

	cep_buf_init(&b, OUT_MAX);
	rc = cep_buf_puts(&b, "inject_seq,scenario_time,inject_title,org_code,org_name_ja,org_name_en,"
			      "team,report_s,ack_s,share_s,cause_s,expected\r\n");
	json_array_foreach(json_object_get(report, "rows"), i, r) {
		char t[32], cell[32];
		struct cep_buf e;
		size_t k;
		json_t *x;

		ex_format_t(json_integer_value(json_object_get(r, "at_s")), t);
		if (rc == 0)
			rc = cep_buf_printf(&b, "%lld,%s,",
					    (long long)json_integer_value(json_object_get(r, "inject_seq")), t);
		for (const char *const *k2 = (const char *const[]){ "inject_title", "org_code", "name_ja",
								    "name_en", "team", NULL };
		     rc == 0 && *k2; k2++) {
			rc = cep_csv_put_field(&b, str(r, *k2));
			if (rc == 0)
				rc = cep_buf_puts(&b, ",");
		}
		for (int j = 0; j < 4 && rc == 0; j++) {
			const json_t *v = json_object_get(r, times[j]);

			snprintf(cell, sizeof(cell), "%lld,", (long long)json_integer_value(v));
			rc = cep_buf_puts(&b, json_is_integer(v) ? cell : ",");
		}
		cep_buf_init(&e, 256);
		json_array_foreach(json_object_get(r, "expected"), k, x)
			if (rc == 0)
				rc = cep_buf_printf(&e, "%s%s:%s", k ? ";" : "", str(x, "action"),
						    json_is_true(json_object_get(x, "met")) ? "met" : "missed");
		if (rc == 0)
			rc = cep_csv_put_field(&b, e.data ? e.data : "");
		cep_buf_free(&e);
		if (rc == 0)
			rc = cep_buf_puts(&b, "\r\n");
	}
	if (rc < 0) {
		cep_buf_free(&b);
		return CEP_ENOMEM;
	}
	*ret_len = b.len;
	*ret = cep_buf_steal(&b);
	return *ret ? 0 : CEP_ENOMEM;
}

/* Text into HTML, escaped. */
static int esc(struct cep_buf *b, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++) {
		switch (*s) {
		case '&': rc = cep_buf_puts(b, "&amp;"); break;
		case '<': rc = cep_buf_puts(b, "&lt;"); break;
		case '>': rc = cep_buf_puts(b, "&gt;"); break;
		case '"': rc = cep_buf_puts(b, "&quot;"); break;
		case '\'': rc = cep_buf_puts(b, "&#39;"); break;
		default: rc = cep_buf_append(b, s, 1);
		}
	}
	return rc;
}

/* One table of summaries (participants or sectors). */
static int summary_table(struct cep_buf *b, const json_t *items, int participants)
{
	static const char *const metrics[] = { "report", "ack", "share", "cause" };
	size_t i;
	json_t *it;
	int rc = cep_buf_printf(b,
				"<table><thead><tr><th>%s</th><th>インジェクト<br>Injects</th>"
				"<th>初報 (中央値/最大)<br>First report (median/max)</th>"
				"<th>受領確認<br>Ack</th><th>分野横断共有<br>Cross-sector sharing</th>"
				"<th>原因特定<br>Cause identified</th><th>期待行動 達成/未達<br>"
				"Expected met/missed</th></tr></thead><tbody>",
				participants ? "参加組織<br>Participant" : "分野<br>Sector");

	json_array_foreach(items, i, it) {
		rc = rc ? rc : cep_buf_puts(b, "<tr><td>");
		if (rc == 0 && participants) {
			rc = esc(b, str(it, "name_ja"));
			if (rc == 0)
				rc = cep_buf_puts(b, "<br><small>");
			if (rc == 0)
				rc = esc(b, str(it, "org_code"));
			if (rc == 0)
				rc = cep_buf_puts(b, "</small>");
		} else if (rc == 0) {
			rc = esc(b, str(it, "team"));
		}
		if (rc == 0)
			rc = cep_buf_printf(b, "</td><td>%lld</td>",
					    (long long)json_integer_value(json_object_get(it, "injects")));
		for (int k = 0; k < 4 && rc == 0; k++) {
			const json_t *m = json_object_get(it, metrics[k]);
			char med[32], mx[32];

			dur(json_object_get(m, "median"), med);
			dur(json_object_get(m, "max"), mx);
			rc = cep_buf_printf(b, "<td>%s / %s <small>(n=%lld)</small></td>", med, mx,
					    (long long)json_integer_value(json_object_get(m, "n")));
		}
		if (rc == 0)
			rc = cep_buf_printf(b, "<td>%lld / %lld</td></tr>",
					    (long long)json_integer_value(json_object_get(it, "met")),
					    (long long)json_integer_value(json_object_get(it, "missed")));
	}
	return rc ? rc : cep_buf_puts(b, "</tbody></table>");
}

/* Horizontal bars: the median time to acknowledge and to report per participant. */
static int chart(struct cep_buf *b, const json_t *parts)
{
	const int row_h = 34, left = 220, width = 440;
	int64_t top = 60;
	size_t i, n = json_array_size(parts);
	json_t *it;
	int rc;

	json_array_foreach(parts, i, it)
		for (const char *const *k = (const char *const[]){ "ack", "report", NULL }; *k; k++) {
			const json_t *v = json_object_get(json_object_get(it, *k), "median");

			if (json_is_integer(v) && json_integer_value(v) > top)
				top = json_integer_value(v);
		}
	rc = cep_buf_printf(b,
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\""
			    " role=\"img\" aria-label=\"median minutes to acknowledge and to report\">"
			    "<text x=\"%d\" y=\"14\" font-size=\"12\">中央値 (分) / median minutes:"
			    " ■ 受領確認 ack  ■ 初報 report (0 - %lld)</text>",
			    left + width + 60, n * (size_t)row_h + 30, left, (long long)((top + 59) / 60));
	json_array_foreach(parts, i, it) {
		int y = 24 + (int)i * row_h;

		rc = rc ? rc : cep_buf_printf(b, "<text x=\"0\" y=\"%d\" font-size=\"12\">", y + 14);
		if (rc == 0)
			rc = esc(b, str(it, "org_code"));
		if (rc == 0)
			rc = cep_buf_puts(b, "</text>");
		for (int k = 0; k < 2 && rc == 0; k++) {
			const json_t *v = json_object_get(json_object_get(it, k ? "report" : "ack"),
							  "median");
			int64_t s = json_is_integer(v) ? json_integer_value(v) : 0;
			int w = (int)(s * width / top);

			rc = cep_buf_printf(b,
					    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"%s\"/>"
					    "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>",
					    left, y + k * 14, w ? w : 1, k ? "#c0392b" : "#2c6fbb",
					    left + w + 4, y + k * 14 + 10,
					    json_is_integer(v) ? "" : "-");
		}
	}
	return rc ? rc : cep_buf_puts(b, "</svg>");
}

int exercise_report_html(const json_t *report, char **ret, size_t *ret_len)
{
	const json_t *ex = json_object_get(report, "exercise"), *r;
	struct cep_buf b;
	char ts[CEP_TS_MAX], t[32], d[4][32];
	size_t i;
	int rc;

	cep_buf_init(&b, OUT_MAX);
	cep_ts_jst(json_integer_value(json_object_get(report, "generated_at")), ts);
	rc = cep_buf_puts(&b, "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>");
	if (rc == 0)
		rc = esc(&b, str(ex, "title"));
	if (rc == 0)
		rc = cep_buf_puts(
			&b,
			" — 事後評価 / After-action report</title><style>"
			"body{font-family:'IPAGothic','Noto Sans CJK JP',sans-serif;margin:2em;color:#222}"
			".mark{background:#b00020;color:#fff;padding:.3em .8em;font-weight:bold;"
			"display:inline-block}table{border-collapse:collapse;margin:1em 0;width:100%}"
			"th,td{border:1px solid #999;padding:.3em .5em;font-size:12px;text-align:left;"
			"vertical-align:top}th{background:#eee}h2{border-bottom:2px solid #333;"
			"margin-top:2em}.met{color:#1b7f3a}.missed{color:#b00020}"
			"@media print{body{margin:0}h2{page-break-after:avoid}"
			"table,svg{page-break-inside:avoid}@page{size:A4;margin:15mm}}"
			"</style></head><body><p class=\"mark\">訓練 / EXERCISE</p><h1>");
	if (rc == 0)
		rc = esc(&b, str(ex, "title"));
	if (rc == 0)
		rc = cep_buf_printf(&b,
				    "<br><small>事後評価報告 / After-action report</small></h1>"
				    "<p>作成 / Generated: %s ・ 状態 / State: %s ・ テーマ / Theme: ",
				    ts, str(ex, "state"));
	if (rc == 0)
		rc = esc(&b, str(ex, "theme"));
	if (rc == 0 && *str(ex, "cause")) {
		rc = cep_buf_puts(&b, " ・ 原因 / Cause: ");
		if (rc == 0)
			rc = esc(&b, str(ex, "cause"));
	}
	if (rc == 0)
		rc = cep_buf_puts(&b, "</p><h2>分野別 / By sector</h2>");
	if (rc == 0)
		rc = summary_table(&b, json_object_get(report, "sectors"), 0);
	if (rc == 0)
		rc = cep_buf_puts(&b, "<h2>参加組織別 / By participant</h2>");
	if (rc == 0)
		rc = chart(&b, json_object_get(report, "participants"));
	if (rc == 0)
		rc = summary_table(&b, json_object_get(report, "participants"), 1);
	if (rc == 0)
		rc = cep_buf_puts(&b,
				  "<h2>インジェクト別 / By inject</h2><table><thead><tr><th>#</th>"
				  "<th>時刻<br>Time</th><th>インジェクト<br>Inject</th><th>組織<br>Org</th>"
				  "<th>初報<br>Report</th><th>受領確認<br>Ack</th><th>共有<br>Share</th>"
				  "<th>原因<br>Cause</th><th>期待行動<br>Expected</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(report, "rows"), i, r) {
		static const char *const keys[] = { "report_s", "ack_s", "share_s", "cause_s" };
		size_t k;
		json_t *x;

		ex_format_t(json_integer_value(json_object_get(r, "at_s")), t);
		for (int j = 0; j < 4; j++)
			dur(json_object_get(r, keys[j]), d[j]);
		rc = rc ? rc : cep_buf_printf(&b, "<tr><td>%lld</td><td>%s</td><td>",
					      (long long)json_integer_value(json_object_get(r, "inject_seq")), t);
		if (rc == 0)
			rc = esc(&b, str(r, "inject_title"));
		if (rc == 0)
			rc = cep_buf_puts(&b, "</td><td>");
		if (rc == 0)
			rc = esc(&b, str(r, "org_code"));
		if (rc == 0)
			rc = cep_buf_printf(&b, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
					    d[0], d[1], d[2], d[3]);
		json_array_foreach(json_object_get(r, "expected"), k, x)
			if (rc == 0)
				rc = cep_buf_printf(&b, "<span class=\"%s\">%s %s</span> ",
						    json_is_true(json_object_get(x, "met")) ? "met" : "missed",
						    str(x, "action"),
						    json_is_true(json_object_get(x, "met")) ? "✓" : "✗");
		if (rc == 0)
			rc = cep_buf_puts(&b, "</td></tr>");
	}
	if (rc == 0)
		rc = cep_buf_puts(&b, "</tbody></table><h2>所見・助言・教訓 / Observations, advice, "
				      "lessons</h2><table><thead><tr><th>種別<br>Kind</th><th>記入者<br>"
				      "Author</th><th>内容<br>Note</th><th>担当・期限<br>Owner, due</th>"
				      "</tr></thead><tbody>");
	json_array_foreach(json_object_get(report, "notes"), i, r) {
		rc = rc ? rc : cep_buf_puts(&b, "<tr><td>");
		for (const char *const *k = (const char *const[]){ "kind", "author", "body", NULL };
		     rc == 0 && *k; k++) {
			rc = esc(&b, str(r, *k));
			if (rc == 0)
				rc = cep_buf_puts(&b, "</td><td>");
		}
		if (rc == 0)
			rc = esc(&b, str(r, "owner"));
		if (rc == 0 && *str(r, "due"))
			rc = cep_buf_puts(&b, " / ");
		if (rc == 0)
			rc = esc(&b, str(r, "due"));
		if (rc == 0)
			rc = cep_buf_puts(&b, "</td></tr>");
	}
	if (rc == 0)
		rc = cep_buf_puts(&b, "</tbody></table></body></html>\n");
	if (rc < 0) {
		cep_buf_free(&b);
		return CEP_ENOMEM;
	}
	*ret_len = b.len;
	*ret = cep_buf_steal(&b);
	return *ret ? 0 : CEP_ENOMEM;
}
