// statistics.jsx - IT-failure statistics for the action plan's evaluation:
// the reports that breached their service's verification level (検証レベル),
// counted by the server per year, sector and cause category (never an
// exercise's reports). NISC sees every sector, a ministry its own.
import './plans.css';
import { useState } from 'preact/hooks';
import { download, qs } from '../api.js';
import { extend, fmtNum, t } from '../i18n.js';
import {
  DataTable, ErrorBox, Field, Loading, PageHeader, Select, useFetch, useNames,
} from '../ui.jsx';

extend({
  ja: {
    'stats.title': 'IT障害の統計',
    'stats.lead': '検証レベルを逸脱した IT 障害の件数を、年度・分野・発生要因ごとに数えます (行動計画の評価のため)。訓練の報告は数えません。年は発生日時 (なければ報告日時) の日本時間によります。',
    'stats.year': '年',
    'stats.all_years': 'すべての年',
    'stats.basis': '年の区切り',
    'stats.basis.fiscal': '年度 (4月–3月)',
    'stats.basis.calendar': '暦年',
    'stats.sector': '分野',
    'stats.all_sectors': 'すべての分野',
    'stats.col.year': '年',
    'stats.col.sector': '分野',
    'stats.col.cause': '発生要因',
    'stats.col.count': '件数',
    'stats.total': '合計 {n} 件',
    'stats.csv': 'CSV ダウンロード (サーバー集計)',
    'stats.by_sector': '分野別',
    'stats.none_cause': '(未分類)',
  },
  en: {
    'stats.title': 'IT-failure statistics',
    'stats.lead': 'IT failures that breached a verification level, counted per year, sector and cause category (for the action plan\u2019s evaluation). Exercise reports never count. The year is that of the failure (else of the report) in Japan time.',
    'stats.year': 'Year',
    'stats.all_years': 'Every year',
    'stats.basis': 'Years',
    'stats.basis.fiscal': 'Fiscal (April–March)',
    'stats.basis.calendar': 'Calendar',
    'stats.sector': 'Sector',
    'stats.all_sectors': 'Every sector',
    'stats.col.year': 'Year',
    'stats.col.sector': 'Sector',
    'stats.col.cause': 'Cause',
    'stats.col.count': 'Count',
    'stats.total': '{n} in all',
    'stats.csv': 'Download CSV (counted by the server)',
    'stats.by_sector': 'By sector',
    'stats.none_cause': '(none)',
  },
});

export function Statistics() {
  const [f, setF] = useState({ year: '', basis: 'fiscal', sector: '' });
  const path = '/statistics/it-failures' + qs(f);
  const data = useFetch(path);
  const sectors = useFetch('/sectors?limit=500');
  const cause = useNames('/threats');
  const sector = useNames('/sectors');
  const now = new Date().getFullYear();
  const years = [];
  for (let y = now; y >= now - 15; y--) years.push([String(y), String(y)]);
  const items = data.data ? data.data.items.map((i) => ({ ...i, _k: `${i.year}/${i.sector}/${i.cause_category}` })) : [];
  const per = {};
  for (const i of items) per[i.sector] = (per[i.sector] || 0) + i.count;
  const max = Math.max(1, ...Object.values(per));
  const columns = [
    { key: 'year', label: t('stats.col.year'), num: true },
    { key: 'sector', label: t('stats.col.sector'), value: (r) => sector(r.sector) },
    { key: 'cause_category', label: t('stats.col.cause'), value: (r) => (r.cause_category ? cause(r.cause_category) : t('stats.none_cause')) },
    { key: 'count', label: t('stats.col.count'), num: true },
  ];
  return (
    <section>
      <PageHeader title={t('stats.title')}>
        <button type="button" class="secondary" id="stats-csv"
          onClick={() => download(path + (path.includes('?') ? '&' : '?') + 'format=csv', 'it-failures.csv')}>{t('stats.csv')}</button>
      </PageHeader>
      <p class="lead">{t('stats.lead')}</p>
      <div class="filters">
        <Field id="st-year" label={t('stats.year')}>
          <Select id="st-year" value={f.year} onChange={(v) => setF({ ...f, year: v })} blank={t('stats.all_years')} options={years} />
        </Field>
        <Field id="st-basis" label={t('stats.basis')}>
          <Select id="st-basis" value={f.basis} onChange={(v) => setF({ ...f, basis: v })}
            options={['fiscal', 'calendar'].map((b) => [b, t('stats.basis.' + b)])} />
        </Field>
        <Field id="st-sector" label={t('stats.sector')}>
          <Select id="st-sector" value={f.sector} onChange={(v) => setF({ ...f, sector: v })} blank={t('stats.all_sectors')}
            options={(sectors.data ? sectors.data.items : []).map((s) => [s.id, sector(s.id)])} />
        </Field>
      </div>
      {data.error ? <ErrorBox error={data.error} /> : null}
      {data.loading && !data.data ? <Loading /> : null}
      {data.data ? (
        <>
          <p id="stats-total" class="plan-headline">{t('stats.total', { n: fmtNum(data.data.total) })}</p>
          {Object.keys(per).length ? (
            <div class="panel">
              <h2>{t('stats.by_sector')}</h2>
              <div class="stats-bars" role="list">
                {Object.entries(per).map(([s, n]) => (
                  <div role="listitem" key={s} class="stats-row">
                    <span>{sector(s)}</span>
                    <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" height="14">
                      <rect x="0" y="0" width={(100 * n) / max} height="10" fill="#244a73" />
                    </svg>
                    <span class="num">{n}</span>
                  </div>
                ))}
              </div>
            </div>
          ) : null}
          <DataTable id="stats-table" columns={columns} rows={items} rowKey="_k" csv="it-failures-view.csv" />
        </>
      ) : null}
    </section>
  );
}
