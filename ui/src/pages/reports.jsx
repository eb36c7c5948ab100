// reports.jsx - IT-failure reports (IT障害の情報連絡): the list the user may
// see (filters, full-text search in Japanese and English, paging) and one
// report with its versions, indicators and attachments. Handling rules show:
// the TLP badge and its meaning, the reporter anonymised as the server
// decided, downloads withheld under 持出禁止 and copying discouraged under
// 複製禁止.
import { useState } from 'preact/hooks';
import { download, qs } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { href } from '../router.js';
import {
  ErrorBox, Field, ListTable, Loading, PageHeader, Pager, Select, TlpBadge, TLP_VALUES, Time, Withheld, useFetch,
  useNames,
} from '../ui.jsx';

extend({
  ja: {
    'reports.title': 'IT障害報告',
    'reports.new': 'IT障害を報告する',
    'reports.q': 'キーワード（件名・内容・指標）',
    'reports.status': '状態',
    'reports.sector': '分野',
    'reports.cause': '原因',
    'reports.any': 'すべて',
    'reports.col.title': '件名',
    'reports.col.reporter': '報告者',
    'reports.col.updated': '更新',
    'reports.col.scope': '共有範囲',
    'reports.breached': '検証レベル超過',
    'reports.version': '第{n}版',
    'reports.versions': '版の履歴',
    'reports.current': '（最新）',
    'reports.edit': '続報・更新を作成',
    'reports.description': '内容',
    'reports.occurred': '発生日時',
    'reports.detected': '検知日時',
    'reports.service': '重要インフラサービス',
    'reports.system': '重要システム',
    'reports.impact': 'サービスへの影響',
    'reports.threats': '脅威の類型',
    'reports.analysis': '原因分析',
    'reports.prevention': '再発防止策',
    'reports.indicators': '指標（IoC）',
    'reports.attachments': '添付ファイル',
    'reports.handling': '取扱制限',
    'reports.classification': '格付け',
    'reports.ceptoars': 'セプター',
    'reports.anonymous': '（報告者は匿名化されています）',
    'reports.no_export': '持出禁止のため、この画面からダウンロードできません。',
    'reports.no_copy': '複製禁止: 内容を複製・転記しないでください。',
    'scope.ministry': '所管省庁とNISCのみ',
    'scope.ceptoar': '自らのセプター',
    'scope.council': 'セプターカウンシル',
    'scope.all': 'すべての関係者',
    'cause.intentional': '意図的要因',
    'cause.unintentional': '非意図的要因',
    'cause.disaster-illness': '災害や疾病',
    'cause.spillover': '他分野の障害からの波及',
    'class.none': 'なし',
    'class.confidential-1': '機密性1',
    'class.confidential-2': '機密性2',
    'class.confidential-3': '機密性3',
  },
  en: {
    'reports.title': 'IT-failure reports',
    'reports.new': 'Report an IT failure',
    'reports.q': 'Keywords (subject, text, indicators)',
    'reports.status': 'State',
    'reports.sector': 'Sector',
    'reports.cause': 'Cause',
    'reports.any': 'Any',
    'reports.col.title': 'Subject',
    'reports.col.reporter': 'Reporter',
    'reports.col.updated': 'Updated',
    'reports.col.scope': 'Shared with',
    'reports.breached': 'Verification level breached',
    'reports.version': 'Version {n}',
    'reports.versions': 'Versions',
    'reports.current': ' (current)',
    'reports.edit': 'Add an update',
    'reports.description': 'Description',
    'reports.occurred': 'Occurred',
    'reports.detected': 'Detected',
    'reports.service': 'Critical service',
    'reports.system': 'Critical system',
    'reports.impact': 'Impact on the service',
    'reports.threats': 'Threat types',
    'reports.analysis': 'Cause analysis',
    'reports.prevention': 'Recurrence prevention',
    'reports.indicators': 'Indicators',
    'reports.attachments': 'Attachments',
    'reports.handling': 'Handling restrictions',
    'reports.classification': 'Classification',
    'reports.ceptoars': 'CEPTOARs',
    'reports.anonymous': '(the reporter is anonymised)',
    'reports.no_export': 'No export: it cannot be downloaded from here.',
    'reports.no_copy': 'No copying: do not copy or transcribe the content.',
    'scope.ministry': 'Its ministry and NISC only',
    'scope.ceptoar': 'Its CEPTOAR',
    'scope.council': 'The CEPTOAR Council',
    'scope.all': 'Everyone concerned',
    'cause.intentional': 'Intentional',
    'cause.unintentional': 'Unintentional',
    'cause.disaster-illness': 'Disaster or illness',
    'cause.spillover': 'Spillover from another sector',
    'class.none': 'None',
    'class.confidential-1': 'Confidential 1',
    'class.confidential-2': 'Confidential 2',
    'class.confidential-3': 'Confidential 3',
  },
});

export const STATUSES = ['first', 'update', 'recovered', 'final'];
export const CAUSES = ['intentional', 'unintentional', 'disaster-illness', 'spillover'];

// The reporter as the viewer may see it.
export function reporterOf(r) {
  return r.anonymous ? nameOf(r, 'reporter') : nameOf(r, 'org_name') || r.org_code || '';
}

export function Reports({ me, query }) {
  const init = {
    status: query.get('status') || '', sector: query.get('sector') || '', cause: query.get('cause') || '',
    tlp: query.get('tlp') || '', q: query.get('q') || '',
  };
  const [form, setForm] = useState(init);
  const [applied, setApplied] = useState({ ...init, offset: 0 });
  const sectors = useFetch('/sectors?limit=500');
  const { data, error, loading } = useFetch('/reports' + qs({ ...applied, limit: 50 }));
  const set = (k) => (v) => setForm({ ...form, [k]: v });
  const submit = (e) => {
    e.preventDefault();
    setApplied({ ...form, offset: 0 });
  };
  return (
    <div>
      <PageHeader title={t('reports.title')}>
        {me.role === 'operator' ? <a class="button primary" href={href('/reports/new')}>{t('reports.new')}</a> : null}
      </PageHeader>
      <form class="filters" onSubmit={submit} role="search">
        <Field id="rf-q" label={t('reports.q')}>
          <input id="rf-q" type="search" value={form.q} maxLength={200} onInput={(e) => set('q')(e.currentTarget.value)} />
        </Field>
        <Field id="rf-status" label={t('reports.status')}>
          <Select id="rf-status" value={form.status} onChange={set('status')} blank={t('reports.any')}
            options={STATUSES.map((s) => [s, t('status.' + s)])} />
        </Field>
        <Field id="rf-sector" label={t('reports.sector')}>
          <Select id="rf-sector" value={form.sector} onChange={set('sector')} blank={t('reports.any')}
            options={((sectors.data && sectors.data.items) || []).map((s) => [s.id, nameOf(s)])} />
        </Field>
        <Field id="rf-cause" label={t('reports.cause')}>
          <Select id="rf-cause" value={form.cause} onChange={set('cause')} blank={t('reports.any')}
            options={CAUSES.map((c) => [c, t('cause.' + c)])} />
        </Field>
        <Field id="rf-tlp" label={t('tlp.label')}>
          <Select id="rf-tlp" value={form.tlp} onChange={set('tlp')} blank={t('reports.any')}
            options={TLP_VALUES.map((v) => [v, 'TLP:' + v])} />
        </Field>
        <button type="submit">{t('act.search')}</button>
      </form>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : data ? (
        <>
          <ListTable id="reports-table" rows={data.items} columns={[
            {
              label: t('reports.status'),
              render: (r) => <><span class="badge">{t('status.' + r.status)}</span>{r.verification_breached ? <span class="badge badge-bad"> {t('reports.breached')}</span> : null}</>,
            },
            { label: t('tlp.label'), render: (r) => <TlpBadge tlp={r.tlp} /> },
            { label: t('reports.col.title'), render: (r) => <a href={href('/reports/' + r.id)}>{r.title}</a> },
            { label: t('reports.sector'), render: (r) => nameOf(r, 'sector_name') },
            { label: t('reports.col.reporter'), render: reporterOf },
            { label: t('reports.cause'), render: (r) => (r.cause_category ? t('cause.' + r.cause_category) : '') },
            { label: t('reports.col.updated'), render: (r) => <Time v={r.updated_at} /> },
          ]} />
          <Pager page={data} onOffset={(offset) => setApplied({ ...applied, offset })} />
        </>
      ) : null}
    </div>
  );
}

export function ReportView({ id, me }) {
  const [version, setVersion] = useState(0);
  const { data: r, error, loading } = useFetch('/reports/' + encodeURIComponent(id) + (version ? qs({ version }) : ''));
  const threats = useFetch('/threats');
  const cep = useNames('/ceptoars');
  const [dlError, setDlError] = useState(null);
  if (loading && !r) return <Loading />;
  if (error) return <><PageHeader title={t('reports.title')} /><ErrorBox error={error} /></>;
  const handling = r.handling || [];
  const noExport = handling.includes('no-export');
  const mine = me.role === 'operator' && r.org === me.org;
  const threatName = (tid) => {
    for (const c of (threats.data && threats.data.items) || [])
      for (const ty of c.types || []) if (ty.id === tid) return nameOf(ty);
    return tid;
  };
  const latest = r.versions ? Math.max(...r.versions.map((v) => v.version)) : r.version;
  return (
    <article class={handling.includes('no-copy') ? 'no-copy' : ''}>
      <PageHeader title={r.title}>
        {mine && r.status !== 'final' && r.version === latest ? (
          <a class="button primary" href={href(`/reports/${r.id}/edit`)}>{t('reports.edit')}</a>
        ) : null}
        <a class="button secondary" href={href('/reports')}>{t('act.back')}</a>
      </PageHeader>
      {handling.includes('no-copy') ? <Withheld reason={t('reports.no_copy')} /> : null}
      <div class="panel">
        <dl class="props">
          <dt>{t('reports.status')}</dt>
          <dd><span class="badge">{t('status.' + r.status)}</span> {t('reports.version', { n: r.version })}{r.version === latest ? t('reports.current') : ''}</dd>
          <dt>{t('tlp.label')}</dt><dd><TlpBadge tlp={r.tlp} explain /></dd>
          <dt>{t('reports.col.scope')}</dt><dd>{t('scope.' + r.scope)}</dd>
          <dt>{t('reports.col.reporter')}</dt><dd>{reporterOf(r)} {r.anonymous ? <span class="muted">{t('reports.anonymous')}</span> : null}</dd>
          <dt>{t('reports.sector')}</dt><dd>{nameOf(r, 'sector_name')}</dd>
          {r.ceptoars && r.ceptoars.length ? <><dt>{t('reports.ceptoars')}</dt><dd>{r.ceptoars.map(cep).join('、')}</dd></> : null}
          <dt>{t('reports.occurred')}</dt><dd><Time v={r.occurred_at} /></dd>
          <dt>{t('reports.detected')}</dt><dd><Time v={r.detected_at} /></dd>
          {r.service_name_ja ? <><dt>{t('reports.service')}</dt><dd>{r.service_name_ja}</dd></> : null}
          {r.system_name_ja ? <><dt>{t('reports.system')}</dt><dd>{r.system_name_ja}</dd></> : null}
          <dt>{t('reports.cause')}</dt><dd>{r.cause_category ? t('cause.' + r.cause_category) : '—'}</dd>
          {r.threat_types && r.threat_types.length ? <><dt>{t('reports.threats')}</dt><dd>{r.threat_types.map(threatName).join('、')}</dd></> : null}
          <dt>{t('reports.breached')}</dt><dd>{r.verification_breached ? <span class="badge badge-bad">✔</span> : '—'}</dd>
          {handling.length ? <><dt>{t('reports.handling')}</dt><dd>{handling.map((h) => <span class="badge badge-warn" key={h}>{t('handling.' + h)}</span>)}</dd></> : null}
          <dt>{t('reports.classification')}</dt><dd>{t('class.' + (r.classification || 'none'))}</dd>
        </dl>
      </div>
      <section class="panel">
        <h2>{t('reports.description')}</h2>
        <div class="pre">{r.description || '—'}</div>
        {r.service_impact ? <><h2>{t('reports.impact')}</h2><div class="pre">{r.service_impact}</div></> : null}
        {r.cause_analysis ? <><h2>{t('reports.analysis')}</h2><div class="pre">{r.cause_analysis}</div></> : null}
        {r.recurrence_prevention ? <><h2>{t('reports.prevention')}</h2><div class="pre">{r.recurrence_prevention}</div></> : null}
        {r.indicators && r.indicators.length ? (
          <>
            <h2>{t('reports.indicators')}</h2>
            <ul class="plain-list">{r.indicators.map((i, k) => <li key={k}><span class="badge">{i.type}</span> <code>{i.value}</code></li>)}</ul>
          </>
        ) : null}
        {r.attachments && r.attachments.length ? (
          <>
            <h2>{t('reports.attachments')}</h2>
            {noExport ? <Withheld reason={t('reports.no_export')} /> : null}
            <ErrorBox error={dlError} />
            <ul class="plain-list">
              {r.attachments.map((a) => (
                <li key={a.id}>
                  {noExport ? a.name : (
                    <button type="button" class="linkish" onClick={async () => {
                      try { await download(`/reports/${r.id}/attachments/${a.id}`, a.name); } catch (e) { setDlError(e); }
                    }}>{a.name}</button>
                  )}{' '}
                  <span class="muted">({a.size} B)</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      {r.versions && r.versions.length > 1 ? (
        <section class="panel">
          <h2>{t('reports.versions')}</h2>
          <ol>
            {r.versions.map((v) => (
              <li key={v.version}>
                <button type="button" class="linkish" aria-current={v.version === r.version ? 'true' : undefined}
                  onClick={() => setVersion(v.version === latest ? 0 : v.version)}>
                  {t('reports.version', { n: v.version })}
                </button>{' '}
                <span class="muted"><Time v={v.created_at} /></span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
}
