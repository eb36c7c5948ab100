// correlations.jsx - common threats (共通脅威): the indicators seen in reports
// of two or more sectors, computed by the server over the reports the caller
// may read (NISC with the reports' ids; a council secretariat with sectors
// and counts only), and NISC's exclusion list.
import './spaces.css';
import { useRef, useState } from 'preact/hooks';
import { post, qs } from '../api.js';
import { extend, t } from '../i18n.js';
import { href } from '../router.js';
import { DataTable, ErrorBox, Field, Loading, Notice, PageHeader, Pager, Select, Time, fieldError, useFetch } from '../ui.jsx';
import { joinList, useNames } from './registry.jsx';

extend({
  ja: {
    'correlations.lead': '同じ種類・値の指標 (IP アドレス、ドメイン、URL、ハッシュ、CVE など) が 2 つ以上の分野の報告に現れたものです。あなたが閲覧できる報告だけから、要求のたびに計算されます。',
    'correlations.nisc_note': 'NISC には相関の元になった報告の ID が示されます。',
    'correlations.council_note': 'セプターカウンシルには分野と件数だけが示され、報告 ID や報告者は示されません (匿名化)。',
    'correlations.other_note': '共通脅威は NISC とセプターカウンシル構成セプターの事務局が閲覧できます。',
    'correlations.max_records': '相関に用いる最大報告数',
    'correlations.max_records_hint': '2–10000、既定 50。これより多くの報告に現れる値 (公開リゾルバなど) は雑音とみなし相関しません。',
    'correlations.apply': '再計算',
    'correlations.items': '分野をまたぐ共通の指標',
    'correlations.col.type': '種類',
    'correlations.col.value': '値',
    'correlations.col.sectors': '分野',
    'correlations.col.sector_count': '分野数',
    'correlations.col.reports': '報告数',
    'correlations.col.report_ids': '報告',
    'correlations.col.first': '初出',
    'correlations.col.last': '最終',
    'correlations.col.actions': '操作',
    'correlations.exclude_this': '除外リストへ',
    'correlations.exclude_this_label': '{value} を除外リストへ',
    'correlations.none': '分野をまたぐ共通の指標はありません。',
    'correlations.type.ip': 'IP アドレス',
    'correlations.type.domain': 'ドメイン',
    'correlations.type.url': 'URL',
    'correlations.type.hash': 'ハッシュ',
    'correlations.type.cve': 'CVE',
    'correlations.type.text': 'テキスト',
    'correlations.exclusions': '除外リスト',
    'correlations.exclusions_lead': '除外リストの値は相関しません。NISC が管理します。',
    'correlations.col.reason': '理由',
    'correlations.col.by': '登録者',
    'correlations.col.at': '登録日時',
    'correlations.no_exclusions': '除外している値はありません。',
    'correlations.add': '除外を追加',
    'correlations.f.type': '種類',
    'correlations.f.value': '値',
    'correlations.f.reason': '理由',
    'correlations.f.reason_hint': '500 文字まで。同じ値を再度除外すると理由が置き換わります。',
    'correlations.f.submit': '除外リストに追加',
    'correlations.f.busy': '追加しています…',
    'correlations.added': '「{value}」を除外リストに追加しました。',
  },
  en: {
    'correlations.lead': 'Indicators of the same type and value (IP addresses, domains, URLs, hashes, CVEs, …) seen in reports of two or more sectors. Computed on each request over the reports you may read.',
    'correlations.nisc_note': 'NISC sees the ids of the reports behind each correlation.',
    'correlations.council_note': 'The CEPTOAR Council sees sectors and counts only, never report ids or reporters (anonymised).',
    'correlations.other_note': 'Common threats are for NISC and the secretariats of the council\'s CEPTOARs.',
    'correlations.max_records': 'Most reports per value',
    'correlations.max_records_hint': '2–10000, default 50. A value seen in more reports is noise (a public resolver, say) and stops correlating.',
    'correlations.apply': 'Recompute',
    'correlations.items': 'Indicators shared across sectors',
    'correlations.col.type': 'Type',
    'correlations.col.value': 'Value',
    'correlations.col.sectors': 'Sectors',
    'correlations.col.sector_count': 'Sectors (n)',
    'correlations.col.reports': 'Reports',
    'correlations.col.report_ids': 'Report ids',
    'correlations.col.first': 'First seen',
    'correlations.col.last': 'Last seen',
    'correlations.col.actions': 'Actions',
    'correlations.exclude_this': 'Exclude',
    'correlations.exclude_this_label': 'Exclude {value}',
    'correlations.none': 'No indicator is shared across sectors.',
    'correlations.type.ip': 'IP address',
    'correlations.type.domain': 'Domain',
    'correlations.type.url': 'URL',
    'correlations.type.hash': 'Hash',
    'correlations.type.cve': 'CVE',
    'correlations.type.text': 'Text',
    'correlations.exclusions': 'Exclusion list',
    'correlations.exclusions_lead': 'Values on the exclusion list never correlate. NISC keeps it.',
    'correlations.col.reason': 'Reason',
    'correlations.col.by': 'Added by',
    'correlations.col.at': 'Added',
    'correlations.no_exclusions': 'No value is excluded.',
    'correlations.add': 'Add an exclusion',
    'correlations.f.type': 'Type',
    'correlations.f.value': 'Value',
    'correlations.f.reason': 'Reason',
    'correlations.f.reason_hint': 'Up to 500 characters. Excluding a value again replaces its reason.',
    'correlations.f.submit': 'Add to the exclusion list',
    'correlations.f.busy': 'Adding…',
    'correlations.added': '"{value}" added to the exclusion list.',
  },
});

const TYPES = ['ip', 'domain', 'url', 'hash', 'cve', 'text'];
const PAGE = 100;


function ExclusionForm({ form, setForm, onAdded, valueRef }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const x = await post('/correlations/exclusions', form);
      setDone(t('correlations.added', { value: x.value }));
      setForm({ type: form.type, value: '', reason: '' });
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="corr-add-h" id="corr-add">
      <h3 id="corr-add-h">{t('correlations.add')}</h3>
      {done ? <Notice>{done}</Notice> : null}
      <ErrorBox error={error} />
      <form onSubmit={submit} noValidate>
        <div class="form-grid">
          <Field id="excl-type" label={t('correlations.f.type')} error={fieldError(error, 'type')}>
            <Select id="excl-type" value={form.type} onChange={set('type')} options={TYPES.map((x) => [x, t('correlations.type.' + x)])} />
          </Field>
          <Field id="excl-value" label={t('correlations.f.value')} error={fieldError(error, 'value')}>
            <input id="excl-value" ref={valueRef} value={form.value} required maxLength={2048}
              onInput={(e) => set('value')(e.currentTarget.value)} />
          </Field>
        </div>
        <Field id="excl-reason" label={t('correlations.f.reason')} hint={t('correlations.f.reason_hint')} error={fieldError(error, 'reason')} wide>
          <input id="excl-reason" value={form.reason} maxLength={500}
            onInput={(e) => set('reason')(e.currentTarget.value)} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('correlations.f.busy') : t('correlations.f.submit')}</button>
        </div>
      </form>
    </section>
  );
}

export function Correlations({ me }) {
  const nisc = me.role === 'nisc';
  const names = useNames();
  const [maxInput, setMaxInput] = useState('50');
  const [max, setMax] = useState('50');
  const [offset, setOffset] = useState(0);
  const [exOffset, setExOffset] = useState(0);
  const corr = useFetch('/correlations' + qs({ max_records: max, limit: PAGE, offset }));
  const excl = useFetch('/correlations/exclusions' + qs({ limit: PAGE, offset: exOffset }));
  const [form, setForm] = useState({ type: 'ip', value: '', reason: '' });
  const valueRef = useRef(null);
  const reasonFocus = () => setTimeout(() => {
    const el = document.getElementById('excl-reason');
    if (el) el.focus();
  }, 0);

  const apply = (e) => {
    e.preventDefault();
    setOffset(0);
    if (maxInput === max) corr.reload();
    else setMax(maxInput);
  };
  const maxError = corr.error && corr.error.field === 'max_records' ? corr.error : null;
  const forbidden = corr.error && corr.error.status === 403;

  const columns = [
    { key: 'type', label: t('correlations.col.type'), value: (r) => t('correlations.type.' + r.type) },
    { key: 'value', label: t('correlations.col.value'), render: (r) => <code>{r.value}</code> },
    { key: 'sectors', label: t('correlations.col.sectors'), value: (r) => joinList((r.sectors || []).map((s) => names.name('sectors', s))) },
    { key: 'sector_count', label: t('correlations.col.sector_count'), num: true },
    { key: 'reports', label: t('correlations.col.reports'), num: true },
    ...(nisc ? [{
      key: 'report_ids', label: t('correlations.col.report_ids'),
      value: (r) => (r.report_ids || []).join(' '),
      render: (r) => (
        <span class="sp-ids">
          {(r.report_ids || []).map((id) => <a key={id} href={href('/reports/' + id)}><code>{id.slice(0, 8)}</code></a>)}
        </span>
      ),
    }] : []),
    { key: 'first_seen_at', label: t('correlations.col.first'), render: (r) => <Time v={r.first_seen_at} /> },
    { key: 'last_seen_at', label: t('correlations.col.last'), render: (r) => <Time v={r.last_seen_at} /> },
    ...(nisc ? [{
      key: 'actions', label: t('correlations.col.actions'), value: () => '',
      render: (r) => (
        <span class="sp-actions-cell">
          <button type="button" class="secondary" aria-label={t('correlations.exclude_this_label', { value: r.value })}
            onClick={() => { setForm((f) => ({ ...f, type: r.type, value: r.value })); reasonFocus(); }}>
            {t('correlations.exclude_this')}
          </button>
        </span>
      ),
    }] : []),
  ];
  const exclCols = [
    { key: 'type', label: t('correlations.col.type'), value: (r) => t('correlations.type.' + r.type) },
    { key: 'value', label: t('correlations.col.value'), render: (r) => <code>{r.value}</code> },
    { key: 'reason', label: t('correlations.col.reason') },
    { key: 'created_by', label: t('correlations.col.by') },
    { key: 'created_at', label: t('correlations.col.at'), render: (r) => <Time v={r.created_at} /> },
  ];
  const rows = corr.data ? corr.data.items.map((r) => ({ ...r, id: r.type + ':' + r.value })) : [];
  const exRows = excl.data ? excl.data.items.map((r) => ({ ...r, id: r.type + ':' + r.value })) : [];
  return (
    <div class="correlations">
      <PageHeader title={t('nav.correlations')}>
        <button type="button" class="secondary" onClick={() => { corr.reload(); excl.reload(); }}>{t('act.reload')}</button>
      </PageHeader>
      <p class="reg-lead muted">{t('correlations.lead')}</p>
      <p class="hint">
        {me.role === 'nisc' ? t('correlations.nisc_note') : me.role === 'ceptoar' ? t('correlations.council_note') : t('correlations.other_note')}
      </p>
      {forbidden ? <ErrorBox error={corr.error} /> : (
        <>
          <form class="filters sp-max" onSubmit={apply} noValidate>
            <Field id="corr-max" label={t('correlations.max_records')} hint={t('correlations.max_records_hint')} error={fieldError(maxError, 'max_records')}>
              <input id="corr-max" type="number" min="2" max="10000" step="1" inputMode="numeric" value={maxInput}
                onInput={(e) => setMaxInput(e.currentTarget.value)} />
            </Field>
            <div class="form-actions"><button type="submit" class="primary">{t('correlations.apply')}</button></div>
          </form>
          <ErrorBox error={corr.error || names.error} />
          {corr.loading && !corr.data ? <Loading /> : null}
          {corr.data ? (
            <>
              <DataTable id="corr-table" columns={columns} rows={rows} caption={t('correlations.items')} csv="correlations.csv"
                empty={t('correlations.none')} />
              <Pager page={corr.data} onOffset={setOffset} />
            </>
          ) : null}
          <h2>{t('correlations.exclusions')}</h2>
          <p class="hint">{t('correlations.exclusions_lead')}</p>
          {nisc ? <ExclusionForm form={form} setForm={setForm} valueRef={valueRef}
            onAdded={() => { excl.reload(); corr.reload(); }} /> : null}
          <ErrorBox error={excl.error} />
          {excl.loading && !excl.data ? <Loading /> : null}
          {excl.data ? (
            <>
              <DataTable id="corr-exclusions" columns={exclCols} rows={exRows} caption={t('correlations.exclusions')}
                csv="correlation-exclusions.csv" empty={t('correlations.no_exclusions')} />
              <Pager page={excl.data} onOffset={setExOffset} />
            </>
          ) : null}
        </>
      )}
    </div>
  );
}
