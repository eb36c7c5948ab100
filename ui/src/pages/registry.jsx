// registry.jsx - the registry (登録情報): sectors, ministries, CEPTOARs,
// related agencies, organisations (with their critical services and, for
// whoever may see them, systems) and the CEPTOAR characteristic map
// (特性把握マップ). Every signed-in user may read it. Also the look-ups of
// sector, CEPTOAR and channel names the other sharing pages use.
import './spaces.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { download, get, qs } from '../api.js';
import { extend, lang, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import { DataTable, ErrorBox, Field, Loading, PageHeader, Pager, Select, Time, useFetch } from '../ui.jsx';

extend({
  ja: {
    'registry.tabs': '登録情報の種類',
    'registry.tab.sectors': '重要インフラ分野',
    'registry.tab.ministries': '所管省庁',
    'registry.tab.ceptoars': 'セプター',
    'registry.tab.agencies': '関係主体',
    'registry.tab.orgs': '組織',
    'registry.tab.map': '特性把握マップ',
    'registry.lead.sectors': '重要インフラ10分野と、それぞれの所管省庁・セプターです。分野名から、その分野の登録組織を一覧できます。',
    'registry.lead.ministries': '重要インフラ所管省庁と所管する分野です。',
    'registry.lead.ceptoars': '各分野のセプター (CEPTOAR) です。名称から構成員として登録された組織を一覧できます。',
    'registry.lead.agencies': '関係主体・関係機関と、その区分です。',
    'registry.lead.orgs': 'ceptoar に登録された組織です。名称を選ぶと重要インフラサービス (サービスレベル・検証レベル) と、閲覧できる場合は重要システムを表示します。',
    'registry.lead.map': 'セプター特性把握マップです。列見出しで並べ替え、表の絞り込みができます。CSV は表示中の行、またはサーバーの全項目を取得できます。',
    'registry.col.position': '順',
    'registry.col.id': 'ID',
    'registry.col.name': '名称',
    'registry.col.sector': '分野',
    'registry.col.ministry': '所管省庁',
    'registry.col.ceptoars': 'セプター',
    'registry.col.abbrev': '略称',
    'registry.col.sectors': '所管分野',
    'registry.col.scope': '事業の範囲',
    'registry.col.group': 'グループ',
    'registry.col.secretariat': '事務局',
    'registry.col.members': '構成員',
    'registry.col.member_count': '構成員数',
    'registry.col.member_orgs': '登録構成員数',
    'registry.col.council': 'セプターカウンシル',
    'registry.col.council_unit': 'カウンシル構成単位',
    'registry.col.channels': '情報と連絡手段',
    'registry.col.categories': '区分',
    'registry.col.code': 'コード',
    'registry.col.kind': '種別',
    'registry.col.region': '地域',
    'registry.col.emergency': '緊急窓口運用開始',
    'registry.col.rules': '情報の取扱いルール制定',
    'registry.col.information': '情報',
    'registry.col.service': 'サービス',
    'registry.col.service_level': 'サービスレベル',
    'registry.col.verification_level': '検証レベル',
    'registry.col.system': 'システム',
    'registry.col.description': '説明',
    'registry.col.created': '登録日時',
    'registry.col.updated': '更新日時',
    'registry.council.yes': '構成員',
    'registry.council.no': '非構成員',
    'registry.unit.self': '単独',
    'registry.cat.cabinet-secretariat': '内閣官房',
    'registry.cat.sector-ministry': '重要インフラ所管省庁',
    'registry.cat.infosec-ministry': '情報セキュリティ関係省庁',
    'registry.cat.incident-response-ministry': '事案対処省庁',
    'registry.cat.related-agency': '関係機関',
    'registry.kind.nisc': 'NISC',
    'registry.kind.ministry': '所管省庁',
    'registry.kind.ceptoar': 'セプター事務局',
    'registry.kind.operator': '重要インフラ事業者',
    'registry.kind.agency': '関係機関',
    'registry.kind.other': 'その他',
    'registry.f.kind': '種別',
    'registry.f.sector': '分野',
    'registry.f.ceptoar': 'セプター',
    'registry.f.q': '名称・コード',
    'registry.f.q_hint': '名称 (日本語・英語) またはコードの一部',
    'registry.f.any': 'すべて',
    'registry.f.apply': '絞り込む',
    'registry.f.clear': '条件を消去',
    'registry.f.label': '組織の絞り込み',
    'registry.org.detail': '組織の詳細',
    'registry.org.close': '詳細を閉じる',
    'registry.org.services': '重要インフラサービス',
    'registry.org.systems': '重要システム',
    'registry.org.no_services': '登録された重要インフラサービスはありません。',
    'registry.org.no_systems': '登録された重要システムはありません。',
    'registry.org.systems_hidden': '重要システムは、その事業者、所管省庁、NISC のみ閲覧できます。',
    'registry.org.open': '{name} の詳細',
    'registry.map.server_csv': 'サーバーの CSV (全項目)',
    'registry.map.server_csv_hint': '表の CSV は表示中の行と列、サーバーの CSV は特性把握マップの全項目 (日英) です。',
    'registry.orgs_of': '{name} の組織',
    'registry.none': '—',
    'registry.caption.orgs': '組織一覧 (このページの {n} 件)',
  },
  en: {
    'registry.tabs': 'Registry sections',
    'registry.tab.sectors': 'Sectors',
    'registry.tab.ministries': 'Ministries',
    'registry.tab.ceptoars': 'CEPTOARs',
    'registry.tab.agencies': 'Related bodies',
    'registry.tab.orgs': 'Organisations',
    'registry.tab.map': 'Characteristic map',
    'registry.lead.sectors': 'The ten critical-infrastructure sectors with their ministries and CEPTOARs. A sector\'s name lists its registered organisations.',
    'registry.lead.ministries': 'The ministries overseeing the sectors.',
    'registry.lead.ceptoars': 'The CEPTOARs of each sector. A CEPTOAR\'s name lists the organisations registered as its members.',
    'registry.lead.agencies': 'Related bodies and agencies, with the lists they appear in.',
    'registry.lead.orgs': 'The organisations registered in ceptoar. Choose a name for its critical services (service and verification levels) and, where you may see them, its critical systems.',
    'registry.lead.map': 'The CEPTOAR characteristic map. Sort by any column and filter the rows; download what the table shows as CSV, or the server\'s full CSV.',
    'registry.col.position': 'No.',
    'registry.col.id': 'ID',
    'registry.col.name': 'Name',
    'registry.col.sector': 'Sector',
    'registry.col.ministry': 'Ministry',
    'registry.col.ceptoars': 'CEPTOARs',
    'registry.col.abbrev': 'Abbreviation',
    'registry.col.sectors': 'Sectors',
    'registry.col.scope': 'Scope',
    'registry.col.group': 'Group',
    'registry.col.secretariat': 'Secretariat',
    'registry.col.members': 'Members',
    'registry.col.member_count': 'Member count',
    'registry.col.member_orgs': 'Registered members',
    'registry.col.council': 'CEPTOAR Council',
    'registry.col.council_unit': 'Council unit',
    'registry.col.channels': 'Channels',
    'registry.col.categories': 'Categories',
    'registry.col.code': 'Code',
    'registry.col.kind': 'Kind',
    'registry.col.region': 'Region',
    'registry.col.emergency': 'Emergency contact since',
    'registry.col.rules': 'Handling rules since',
    'registry.col.information': 'Information',
    'registry.col.service': 'Service',
    'registry.col.service_level': 'Service level',
    'registry.col.verification_level': 'Verification level',
    'registry.col.system': 'System',
    'registry.col.description': 'Description',
    'registry.col.created': 'Registered',
    'registry.col.updated': 'Updated',
    'registry.council.yes': 'Member',
    'registry.council.no': 'Not a member',
    'registry.unit.self': 'On its own',
    'registry.cat.cabinet-secretariat': 'Cabinet Secretariat',
    'registry.cat.sector-ministry': 'Sector ministry',
    'registry.cat.infosec-ministry': 'Information-security ministry',
    'registry.cat.incident-response-ministry': 'Incident-response ministry',
    'registry.cat.related-agency': 'Related agency',
    'registry.kind.nisc': 'NISC',
    'registry.kind.ministry': 'Ministry',
    'registry.kind.ceptoar': 'CEPTOAR secretariat',
    'registry.kind.operator': 'Operator',
    'registry.kind.agency': 'Agency',
    'registry.kind.other': 'Other',
    'registry.f.kind': 'Kind',
    'registry.f.sector': 'Sector',
    'registry.f.ceptoar': 'CEPTOAR',
    'registry.f.q': 'Name or code',
    'registry.f.q_hint': 'Part of a name (Japanese or English) or code',
    'registry.f.any': 'All',
    'registry.f.apply': 'Filter',
    'registry.f.clear': 'Clear',
    'registry.f.label': 'Filter the organisations',
    'registry.org.detail': 'Organisation',
    'registry.org.close': 'Close the details',
    'registry.org.services': 'Critical services',
    'registry.org.systems': 'Critical systems',
    'registry.org.no_services': 'No critical service is registered.',
    'registry.org.no_systems': 'No critical system is registered.',
    'registry.org.systems_hidden': 'Critical systems are shown only to the operator itself, its ministry and NISC.',
    'registry.org.open': 'Details of {name}',
    'registry.map.server_csv': 'Server CSV (all fields)',
    'registry.map.server_csv_hint': 'The table\'s CSV has the rows and columns shown; the server\'s CSV has every field of the map in both languages.',
    'registry.orgs_of': 'Organisations of {name}',
    'registry.none': '—',
    'registry.caption.orgs': 'Organisations ({n} on this page)',
  },
});

const TABS = ['sectors', 'ministries', 'ceptoars', 'agencies', 'orgs', 'map'];
export const ORG_KINDS = ['nisc', 'ministry', 'ceptoar', 'operator', 'agency', 'other'];

// Names of sectors, ministries, CEPTOARs and channels, loaded once per page
// view: {sectors: Map, ministries: Map, ceptoars: Map, channels: Map, list:
// {sectors: [...], ...}, error, loading}.
const NAME_LISTS = ['sectors', 'ministries', 'ceptoars', 'channels'];
export function useNames() {
  const [state, setState] = useState({ loading: true, error: null, list: {}, maps: {} });
  useEffect(() => {
    let live = true;
    Promise.all(NAME_LISTS.map((k) => get(`/${k}?limit=500`)))
      .then((answers) => {
        if (!live) return;
        const list = {};
        const maps = {};
        NAME_LISTS.forEach((k, i) => {
          list[k] = answers[i].items || [];
          maps[k] = new Map(list[k].map((x) => [x.id, x]));
        });
        setState({ loading: false, error: null, list, maps });
      })
      .catch((error) => live && setState({ loading: false, error, list: {}, maps: {} }));
    return () => { live = false; };
  }, []);
  const name = (kind, id) => {
    const m = state.maps[kind];
    const o = m && m.get(id);
    return o ? nameOf(o) : id || '';
  };
  return { ...state, name };
}

// Items joined for the current language ("、" in Japanese).
export function joinList(items) {
  return (items || []).filter(Boolean).join(lang() === 'ja' ? '、' : ', ');
}

function Lead({ k }) {
  return <p class="reg-lead muted">{t('registry.lead.' + k)}</p>;
}

function Sectors({ names }) {
  const rows = names.list.sectors || [];
  const columns = [
    { key: 'position', label: t('registry.col.position'), num: true },
    {
      key: 'name', label: t('registry.col.name'), value: (r) => nameOf(r),
      render: (r) => <a href={href('/registry/orgs' + qs({ sector: r.id }))} title={t('registry.orgs_of', { name: nameOf(r) })}>{nameOf(r)}</a>,
    },
    { key: 'id', label: t('registry.col.id'), render: (r) => <code>{r.id}</code> },
    { key: 'ministry', label: t('registry.col.ministry'), value: (r) => names.name('ministries', r.ministry) },
    { key: 'ceptoars', label: t('registry.col.ceptoars'), value: (r) => joinList((r.ceptoars || []).map((c) => names.name('ceptoars', c))) },
  ];
  return <DataTable id="registry-sectors" columns={columns} rows={rows} caption={t('registry.tab.sectors')} csv="sectors.csv" />;
}

function Ministries({ names }) {
  const columns = [
    { key: 'position', label: t('registry.col.position'), num: true },
    { key: 'name', label: t('registry.col.name'), value: (r) => nameOf(r) },
    { key: 'abbrev_en', label: t('registry.col.abbrev') },
    {
      key: 'sectors', label: t('registry.col.sectors'),
      value: (r) => joinList((r.sectors || []).map((s) => names.name('sectors', s))),
    },
  ];
  return <DataTable id="registry-ministries" columns={columns} rows={names.list.ministries || []}
    caption={t('registry.tab.ministries')} csv="ministries.csv" />;
}

function councilUnit(c) {
  if (!c.council_member) return '';
  if (!c.council_unit || c.council_unit === c.id) return t('registry.unit.self');
  return (lang() === 'ja' && c.group_ja) || c.council_unit;
}

function Ceptoars({ names }) {
  const columns = [
    { key: 'position', label: t('registry.col.position'), num: true },
    {
      key: 'name', label: t('registry.col.name'), value: (r) => nameOf(r),
      render: (r) => <a href={href('/registry/orgs' + qs({ ceptoar: r.id }))} title={t('registry.orgs_of', { name: nameOf(r) })}>{nameOf(r)}</a>,
    },
    { key: 'sector', label: t('registry.col.sector'), value: (r) => names.name('sectors', r.sector) },
    { key: 'scope', label: t('registry.col.scope'), value: (r) => nameOf(r, 'scope') },
    { key: 'secretariat', label: t('registry.col.secretariat'), value: (r) => nameOf(r, 'secretariat'),
      render: (r) => <span class="reg-wrap">{nameOf(r, 'secretariat')}</span> },
    { key: 'member_count_text', label: t('registry.col.member_count') },
    { key: 'member_orgs', label: t('registry.col.member_orgs'), num: true },
    {
      key: 'council', label: t('registry.col.council'),
      value: (r) => (r.council_member ? t('registry.council.yes') : t('registry.council.no')),
      render: (r) => <span class={'badge ' + (r.council_member ? 'badge-ok' : '')}>{r.council_member ? t('registry.council.yes') : t('registry.council.no')}</span>,
    },
    { key: 'council_unit', label: t('registry.col.council_unit'), value: councilUnit },
    { key: 'channels', label: t('registry.col.channels'), value: (r) => joinList((r.channels || []).map((c) => names.name('channels', c))) },
  ];
  return <DataTable id="registry-ceptoars" columns={columns} rows={names.list.ceptoars || []}
    caption={t('registry.tab.ceptoars')} csv="ceptoars.csv" />;
}

function Agencies() {
  const { data, error, loading } = useFetch('/agencies?limit=500');
  if (error) return <ErrorBox error={error} />;
  if (loading && !data) return <Loading />;
  const columns = [
    { key: 'position', label: t('registry.col.position'), num: true },
    { key: 'name', label: t('registry.col.name'), value: (r) => nameOf(r) },
    { key: 'abbrev_en', label: t('registry.col.abbrev') },
    { key: 'categories', label: t('registry.col.categories'), value: (r) => joinList((r.categories || []).map((c) => t('registry.cat.' + c))) },
  ];
  return <DataTable id="registry-agencies" columns={columns} rows={data.items} caption={t('registry.tab.agencies')} csv="agencies.csv" />;
}

const ORG_PAGE = 50;

function orgQuery(query) {
  return {
    kind: query.get('kind') || '',
    sector: query.get('sector') || '',
    ceptoar: query.get('ceptoar') || '',
    q: query.get('q') || '',
  };
}

function Orgs({ names, query }) {
  const applied = orgQuery(query);
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  const open = query.get('org') || '';
  const key = qs(applied);
  const [form, setForm] = useState(applied);
  // A link from another tab (or back/forward) changes the filters: show them.
  useEffect(() => setForm(applied), [key]);
  const path = '/orgs' + qs({ ...applied, limit: ORG_PAGE, offset });
  const { data, error, loading } = useFetch(path);

  const submit = (e) => {
    e.preventDefault();
    go('/registry/orgs', { ...form });
  };
  const clear = () => {
    setForm({ kind: '', sector: '', ceptoar: '', q: '' });
    go('/registry/orgs');
  };
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const ceptoarOptions = (names.list.ceptoars || [])
    .filter((c) => !form.sector || c.sector === form.sector)
    .map((c) => [c.id, nameOf(c)]);
  const link = (extra) => href('/registry/orgs' + qs({ ...applied, offset: offset || '', ...extra }));

  const columns = [
    {
      key: 'name', label: t('registry.col.name'), value: (r) => nameOf(r),
      render: (r) => (
        <a href={link({ org: r.id })} aria-current={open === r.id ? 'true' : undefined}
          aria-label={t('registry.org.open', { name: nameOf(r) })}>{nameOf(r)}</a>
      ),
    },
    { key: 'code', label: t('registry.col.code'), render: (r) => <code>{r.code}</code> },
    { key: 'kind', label: t('registry.col.kind'), value: (r) => t('registry.kind.' + r.kind) },
    { key: 'sector', label: t('registry.col.sector'), value: (r) => (r.sector ? names.name('sectors', r.sector) : '') },
    { key: 'ceptoars', label: t('registry.col.ceptoars'), value: (r) => joinList((r.ceptoars || []).map((c) => names.name('ceptoars', c))) },
    { key: 'region', label: t('registry.col.region') },
  ];
  return (
    <div>
      <form class="filters reg-filters" onSubmit={submit} role="search" aria-label={t('registry.f.label')}>
        <Field id="org-kind" label={t('registry.f.kind')}>
          <Select id="org-kind" value={form.kind} onChange={set('kind')} blank={t('registry.f.any')}
            options={ORG_KINDS.map((k) => [k, t('registry.kind.' + k)])} />
        </Field>
        <Field id="org-sector" label={t('registry.f.sector')}>
          <Select id="org-sector" value={form.sector} blank={t('registry.f.any')}
            onChange={(v) => setForm((f) => ({ ...f, sector: v, ceptoar: '' }))}
            options={(names.list.sectors || []).map((s) => [s.id, nameOf(s)])} />
        </Field>
        <Field id="org-ceptoar" label={t('registry.f.ceptoar')}>
          <Select id="org-ceptoar" value={form.ceptoar} onChange={set('ceptoar')} blank={t('registry.f.any')}
            options={ceptoarOptions} />
        </Field>
        <div class="field field-q">
          <label for="org-q">{t('registry.f.q')}</label>
          <input id="org-q" type="search" value={form.q} maxLength={200}
            onInput={(e) => setForm({ ...form, q: e.currentTarget.value })} />
          <span class="sr-only" id="org-q-hint">{t('registry.f.q_hint')}</span>
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">{t('registry.f.apply')}</button>
          <button type="button" class="secondary" onClick={clear}>{t('registry.f.clear')}</button>
        </div>
      </form>
      {open ? <OrgDetail id={open} names={names} closeHref={link({ org: '' })} /> : null}
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <DataTable id="registry-orgs" columns={columns} rows={data.items}
            caption={t('registry.caption.orgs', { n: data.items.length })} csv="organisations.csv" />
          <Pager page={data} onOffset={(o) => go('/registry/orgs', { ...applied, offset: o || '' })} />
        </>
      ) : null}
    </div>
  );
}

function OrgDetail({ id, names, closeHref }) {
  const { data, error, loading } = useFetch('/orgs/' + encodeURIComponent(id));
  const heading = useRef(null);
  useEffect(() => {
    if (data && heading.current) heading.current.focus();
  }, [data && data.id]);
  if (error) return <section class="panel reg-detail" aria-label={t('registry.org.detail')}><ErrorBox error={error} /><a href={closeHref}>{t('registry.org.close')}</a></section>;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const o = data;
  const sector = o.sector ? names.maps.sectors && names.maps.sectors.get(o.sector) : null;
  const ministry = o.ministry || (sector && sector.ministry);
  const services = o.services || [];
  const serviceName = new Map(services.map((s) => [s.id, nameOf(s)]));
  const svcCols = [
    { key: 'name', label: t('registry.col.service'), value: (r) => nameOf(r) },
    { key: 'service_level', label: t('registry.col.service_level') },
    { key: 'verification_level', label: t('registry.col.verification_level') },
    { key: 'created_at', label: t('registry.col.created'), render: (r) => <Time v={r.created_at} /> },
  ];
  const sysCols = [
    { key: 'name', label: t('registry.col.system'), value: (r) => nameOf(r) },
    { key: 'service', label: t('registry.col.service'), value: (r) => serviceName.get(r.service_id) || '' },
    { key: 'description', label: t('registry.col.description'), render: (r) => <span class="pre">{r.description}</span> },
    { key: 'created_at', label: t('registry.col.created'), render: (r) => <Time v={r.created_at} /> },
  ];
  return (
    <section class="panel reg-detail" aria-labelledby="org-detail-title" id="org-detail">
      <div class="reg-detail-head">
        <h2 id="org-detail-title" tabIndex={-1} ref={heading}>{nameOf(o)}</h2>
        <a href={closeHref} class="button secondary">{t('registry.org.close')}</a>
      </div>
      <dl class="props">
        <dt>{t('registry.col.code')}</dt><dd><code>{o.code}</code></dd>
        <dt>{t('registry.col.kind')}</dt><dd>{t('registry.kind.' + o.kind)}</dd>
        {o.sector ? <><dt>{t('registry.col.sector')}</dt><dd>{names.name('sectors', o.sector)}</dd></> : null}
        {ministry ? <><dt>{t('registry.col.ministry')}</dt><dd>{names.name('ministries', ministry)}</dd></> : null}
        {o.ceptoar ? <><dt>{t('registry.f.ceptoar')}</dt><dd>{names.name('ceptoars', o.ceptoar)}</dd></> : null}
        {(o.ceptoars || []).length ? <><dt>{t('registry.col.ceptoars')}</dt><dd>{joinList(o.ceptoars.map((c) => names.name('ceptoars', c)))}</dd></> : null}
        {o.region ? <><dt>{t('registry.col.region')}</dt><dd>{o.region}</dd></> : null}
        <dt>{t('registry.col.updated')}</dt><dd><Time v={o.updated_at} /></dd>
      </dl>
      <h3>{t('registry.org.services')}</h3>
      {services.length ? (
        <DataTable id="org-services" columns={svcCols} rows={services} filter={false} csv={`${o.code}-services.csv`} />
      ) : <p class="muted">{t('registry.org.no_services')}</p>}
      <h3>{t('registry.org.systems')}</h3>
      {Array.isArray(o.systems) ? (
        o.systems.length ? (
          <DataTable id="org-systems" columns={sysCols} rows={o.systems} filter={false} csv={`${o.code}-systems.csv`} />
        ) : <p class="muted">{t('registry.org.no_systems')}</p>
      ) : <p class="muted">{t('registry.org.systems_hidden')}</p>}
    </section>
  );
}

function CeptoarMap({ names }) {
  const { data, error, loading } = useFetch('/ceptoar-map');
  const [dlError, setDlError] = useState(null);
  const [busy, setBusy] = useState(false);
  const serverCsv = async () => {
    setBusy(true);
    setDlError(null);
    try {
      await download('/ceptoar-map?format=csv', 'ceptoar-map.csv');
    } catch (e) {
      setDlError(e);
    } finally {
      setBusy(false);
    }
  };
  const ja = lang() === 'ja';
  const columns = [
    { key: 'sector', label: t('registry.col.sector'), value: (r) => nameOf(r, 'sector_name') },
    { key: 'scope', label: t('registry.col.scope'), value: (r) => nameOf(r, 'scope') },
    { key: 'name', label: t('registry.col.name'), value: (r) => nameOf(r) },
    ...(ja ? [{ key: 'group', label: t('registry.col.group'), value: (r) => r.group_ja || '' }] : []),
    { key: 'secretariat', label: t('registry.col.secretariat'), value: (r) => nameOf(r, 'secretariat'),
      render: (r) => <span class="reg-wrap">{nameOf(r, 'secretariat')}</span> },
    { key: 'members', label: t('registry.col.members'), value: (r) => nameOf(r, 'members'),
      render: (r) => <span class="reg-wrap">{nameOf(r, 'members')}</span> },
    { key: 'member_count_text', label: t('registry.col.member_count') },
    { key: 'member_orgs', label: t('registry.col.member_orgs'), num: true },
    { key: 'emergency_contact_start', label: t('registry.col.emergency') },
    { key: 'handling_rules_date', label: t('registry.col.rules') },
    { key: 'information', label: t('registry.col.information'), value: (r) => nameOf(r, 'information') },
    {
      key: 'channels', label: t('registry.col.channels'),
      value: (r) => (ja && r.channels_ja ? r.channels_ja : joinList((r.channels || []).map((c) => names.name('channels', c)))),
    },
    { key: 'council', label: t('registry.col.council'), value: (r) => (r.council_member ? t('registry.council.yes') : t('registry.council.no')) },
    { key: 'council_unit', label: t('registry.col.council_unit'), value: councilUnit },
  ];
  return (
    <div>
      <div class="reg-csv">
        <button type="button" class="secondary" onClick={serverCsv} disabled={busy} aria-describedby="map-csv-hint">
          {t('registry.map.server_csv')}
        </button>
        <span class="hint" id="map-csv-hint">{t('registry.map.server_csv_hint')}</span>
      </div>
      <ErrorBox error={dlError} />
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? <DataTable id="registry-map" columns={columns} rows={data.items} caption={t('registry.tab.map')} csv="ceptoar-map-table.csv" /> : null}
    </div>
  );
}

export function Registry({ tab, query }) {
  const cur = TABS.includes(tab) ? tab : 'sectors';
  const names = useNames();
  const params = query || new URLSearchParams();
  const title = t('nav.registry');
  useEffect(() => {
    document.title = `${t('registry.tab.' + cur)} - ${title} - ${t('app.name')}`;
  });
  let body;
  if (names.error) body = <ErrorBox error={names.error} />;
  else if (names.loading) body = <Loading />;
  else if (cur === 'sectors') body = <Sectors names={names} />;
  else if (cur === 'ministries') body = <Ministries names={names} />;
  else if (cur === 'ceptoars') body = <Ceptoars names={names} />;
  else if (cur === 'agencies') body = <Agencies />;
  else if (cur === 'orgs') body = <Orgs names={names} query={params} />;
  else body = <CeptoarMap names={names} />;
  return (
    <div class="registry">
      <PageHeader title={title} />
      <nav class="tabs" aria-label={t('registry.tabs')}>
        {TABS.map((k) => (
          <a key={k} href={href('/registry/' + k)} aria-current={k === cur ? 'page' : undefined}>{t('registry.tab.' + k)}</a>
        ))}
      </nav>
      <h2 class="reg-section-title">{t('registry.tab.' + cur)}</h2>
      <Lead k={cur} />
      {body}
    </div>
  );
}
