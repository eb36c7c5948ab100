// guideline.jsx - the Guideline for safety standards (指針): an edition as a
// tree with its marks (要検討事項 / 参考事項) and the seed's text, the
// differences from another edition, its OSCAL download, and per sector the
// safety-standards documents (安全基準等) with the coverage matrix of the
// must-consider items; the sector's ministry and NISC add documents.
import { useState } from 'preact/hooks';
import { download, post, qs } from '../api.js';
import { extend, lang, nameOf, t } from '../i18n.js';
import { ErrorBox, Field, Loading, Notice, PageHeader, Select, useAction, useFetch } from '../ui.jsx';

extend({
  ja: {
    'gl.title': '安全基準等策定指針',
    'gl.edition': '版',
    'gl.counts': '{items} 項目: 要検討事項 {must}、参考事項 {reference}(4つの柱 {pillars}、5つの重点項目 {priorities})',
    'gl.mark.must': '要検討事項',
    'gl.mark.reference': '参考事項',
    'gl.tree': '指針の構成',
    'gl.oscal': 'OSCAL カタログ(JSON)',
    'gl.diff': '他の版との差分',
    'gl.diff.with': '比較する版',
    'gl.diff.none': '(選択)',
    'gl.diff.counts': '追加 {added}、削除 {removed}、変更 {changed}、変更なし {unchanged}',
    'gl.sector': '分野',
    'gl.coverage': '網羅状況(分野の安全基準等と要検討事項)',
    'gl.coverage.sum': '要検討事項 {total} 項目のうち {covered} 項目を文書が規定しています。',
    'gl.coverage.uncovered': '未規定の要検討事項',
    'gl.coverage.item': '項目',
    'gl.coverage.all': 'すべての分野',
    'gl.documents': '安全基準等の文書',
    'gl.doc.kind': '種別',
    'gl.doc.title': '文書名',
    'gl.doc.owner': '策定主体',
    'gl.doc.public': '公開',
    'gl.doc.reason': '非公開の理由',
    'gl.doc.reason.hint': '非公開の文書は、公開すべきでない理由を明記します(指針 II.5)。',
    'gl.doc.items': '規定している指針の項目(ID をカンマ区切り)',
    'gl.doc.add': '文書を登録',
    'gl.doc.added': '文書を登録しました。',
    'gl.kind.mandatory': '強制基準',
    'gl.kind.recommended': '推奨基準・ガイドライン',
    'gl.kind.industry': '業界標準・ガイドライン',
    'gl.kind.internal': '内規',
    'gl.yes': '公開',
    'gl.no': '非公開',
  },
  en: {
    'gl.title': 'Guideline for safety standards',
    'gl.edition': 'Edition',
    'gl.counts': '{items} items: {must} must-consider, {reference} reference ({pillars} pillars, {priorities} priority items)',
    'gl.mark.must': 'must consider',
    'gl.mark.reference': 'reference',
    'gl.tree': 'Structure of the Guideline',
    'gl.oscal': 'OSCAL catalog (JSON)',
    'gl.diff': 'Differences from another edition',
    'gl.diff.with': 'Compare with',
    'gl.diff.none': '(choose)',
    'gl.diff.counts': '{added} added, {removed} removed, {changed} changed, {unchanged} unchanged',
    'gl.sector': 'Sector',
    'gl.coverage': 'Coverage (the sector\'s standards against the must-consider items)',
    'gl.coverage.sum': 'Documents provide for {covered} of {total} must-consider items.',
    'gl.coverage.uncovered': 'Must-consider items no document covers',
    'gl.coverage.item': 'Item',
    'gl.coverage.all': 'All sectors',
    'gl.documents': 'Safety-standards documents',
    'gl.doc.kind': 'Kind',
    'gl.doc.title': 'Title',
    'gl.doc.owner': 'Issued by',
    'gl.doc.public': 'Public',
    'gl.doc.reason': 'Why not public',
    'gl.doc.reason.hint': 'A document that is not public says why (Guideline II.5).',
    'gl.doc.items': 'Guideline items it provides for (ids, comma-separated)',
    'gl.doc.add': 'Register a document',
    'gl.doc.added': 'The document was registered.',
    'gl.kind.mandatory': 'Mandatory standard',
    'gl.kind.recommended': 'Recommended standard / guideline',
    'gl.kind.industry': 'Industry standard / guideline',
    'gl.kind.internal': 'Internal rules',
    'gl.yes': 'public',
    'gl.no': 'not public',
  },
});

const KINDS = ['mandatory', 'recommended', 'industry', 'internal'];

export function title(x) {
  return lang() === 'en' ? x.title_en || x.title_ja : x.title_ja;
}

export function MarkBadge({ mark }) {
  if (!mark) return null;
  return <span class={`badge ${mark === 'must' ? 'badge-warn' : ''} gl-mark`} data-mark={mark}>{t('gl.mark.' + mark)}</span>;
}

function Tree({ items }) {
  const kids = {};
  for (const it of items) (kids[it.parent || ''] = kids[it.parent || ''] || []).push(it);
  const node = (it) => (
    <li key={it.id} data-id={it.id}>
      <details open={it.id === 'II' || (it.id.startsWith('II.6') && it.kind !== 'item' && !(it.mark && !kids[it.id]))}>
        <summary>
          <span class="gl-label">{it.label}</span> {title(it)} <MarkBadge mark={it.mark} /> <code class="muted">{it.id}</code>
        </summary>
        {it.text_ja ? <p class="gl-text" lang="ja">{it.text_ja}</p> : null}
        {kids[it.id] ? <ul class="gl-tree">{kids[it.id].map(node)}</ul> : null}
      </details>
    </li>
  );
  return <ul class="gl-tree" id="gl-tree">{(kids[''] || []).map(node)}</ul>;
}

function Diff({ edition, editions }) {
  const [other, setOther] = useState('');
  const d = useFetch(other ? '/guideline/diff' + qs({ from: edition, to: other }) : null);
  const row = (sign, it) => <li key={sign + it.id}><code>{sign} {it.id}</code> {title(it)} <MarkBadge mark={it.mark} /></li>;
  return (
    <section class="panel" id="gl-diff">
      <h2>{t('gl.diff')}</h2>
      <Field id="gl-diff-with" label={t('gl.diff.with')}>
        <Select id="gl-diff-with" value={other} onChange={setOther} blank={t('gl.diff.none')}
          options={editions.filter((e) => e.edition !== edition).map((e) => [e.edition, e.edition])} />
      </Field>
      <ErrorBox error={d.error} />
      {d.data ? (
        <>
          <p>{t('gl.diff.counts', d.data.counts)}</p>
          <ul>
            {d.data.added.map((x) => row('+', x))}
            {d.data.removed.map((x) => row('-', x))}
            {d.data.changed.map((c) => <li key={'~' + c.id}><code>~ {c.id}</code> {title(c.to)}: {c.fields.join(', ')}</li>)}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function DocForm({ sector, onDone }) {
  const [form, setForm] = useState({ kind: 'industry', title_ja: '', title_en: '', owner: '', public: true, reason: '', items: '' });
  const { error, busy, run, fe } = useAction();
  const [done, setDone] = useState(false);
  const input = (k) => (e) => setForm((f) => ({ ...f, [k]: e.currentTarget.value }));
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = { sector, kind: form.kind, title_ja: form.title_ja.trim(), owner: form.owner.trim(), public: form.public,
        items: form.items.split(/[,\s、]+/).map((x) => x.trim()).filter(Boolean) };
      if (form.title_en.trim()) body.title_en = form.title_en.trim();
      if (!form.public) body.reason = form.reason.trim();
      await post('/guideline/documents', body);
      setDone(true);
      onDone();
    });
  };
  return (
    <details class="panel" id="gl-doc-add">
      <summary>{t('gl.doc.add')}</summary>
      <ErrorBox error={error} />
      {done ? <Notice>{t('gl.doc.added')}</Notice> : null}
      <form onSubmit={submit} noValidate aria-label={t('gl.doc.add')}>
        <div class="form-grid">
          <Field id="gld-kind" label={t('gl.doc.kind')} error={fe('kind')}>
            <Select id="gld-kind" value={form.kind} onChange={(v) => setForm((f) => ({ ...f, kind: v }))} options={KINDS.map((k) => [k, t('gl.kind.' + k)])} />
          </Field>
          <Field id="gld-owner" label={t('gl.doc.owner')} error={fe('owner')}>
            <input id="gld-owner" value={form.owner} onInput={input('owner')} />
          </Field>
          <Field id="gld-title" label={t('gl.doc.title') + ' (日本語)'} error={fe('title_ja')}>
            <input id="gld-title" value={form.title_ja} onInput={input('title_ja')} />
          </Field>
          <Field id="gld-title-en" label={t('gl.doc.title') + ' (English)'} error={fe('title_en')}>
            <input id="gld-title-en" value={form.title_en} onInput={input('title_en')} />
          </Field>
        </div>
        <label class="sp-check">
          <input type="checkbox" id="gld-public" checked={form.public} onChange={(e) => setForm((f) => ({ ...f, public: e.currentTarget.checked }))} />
          <span>{t('gl.doc.public')}</span>
        </label>
        {!form.public || fe('reason') ? (
          <Field id="gld-reason" label={t('gl.doc.reason')} hint={t('gl.doc.reason.hint')} error={fe('reason')}>
            <textarea id="gld-reason" value={form.reason} onInput={input('reason')} />
          </Field>
        ) : null}
        <Field id="gld-items" label={t('gl.doc.items')} error={fe('items')}>
          <input id="gld-items" value={form.items} onInput={input('items')} placeholder="II.6.1.a.i, II.6.1.b.i" />
        </Field>
        <div class="form-actions"><button type="submit" class="primary" disabled={busy}>{t('gl.doc.add')}</button></div>
      </form>
    </details>
  );
}

function Coverage({ me, edition }) {
  const sectors = useFetch('/sectors?limit=100');
  const [sector, setSector] = useState('');
  const cov = useFetch('/guideline/coverage' + qs({ sector, edition }));
  const docs = useFetch(sector ? '/guideline/documents' + qs({ sector, limit: 500 }) : null);
  const reload = () => { cov.reload(); docs.reload(); };
  const writer = me.role === 'nisc' || me.role === 'ministry';
  const c = cov.data;
  return (
    <section class="panel" id="gl-coverage">
      <h2>{t('gl.coverage')}</h2>
      <Field id="gl-sector" label={t('gl.sector')}>
        <Select id="gl-sector" value={sector} onChange={setSector} blank={t('gl.coverage.all')}
          options={((sectors.data && sectors.data.items) || []).map((s) => [s.id, nameOf(s)])} />
      </Field>
      <ErrorBox error={cov.error} />
      {!c ? <Loading /> : c.sectors ? (
        <div class="table-scroll">
          <table id="gl-coverage-sectors">
            <thead><tr><th scope="col">{t('gl.sector')}</th><th scope="col" class="num">{t('gl.documents')}</th><th scope="col" class="num">{t('gl.mark.must')}</th></tr></thead>
            <tbody>{c.sectors.map((s) => (
              <tr key={s.sector}><td>{nameOf(s)}</td><td class="num">{s.documents}</td><td class="num">{s.must_covered} / {s.must_total}</td></tr>
            ))}</tbody>
          </table>
        </div>
      ) : (
        <>
          <p id="gl-coverage-sum">{t('gl.coverage.sum', { covered: c.must_covered, total: c.must_total })}</p>
          <div class="table-scroll">
            <table id="gl-matrix" class="gl-matrix">
              <thead>
                <tr>
                  <th scope="col">{t('gl.coverage.item')}</th>
                  {c.documents.map((d) => <th scope="col" key={d.id} title={title(d)}>{title(d)}<br /><span class="muted">{t('gl.kind.' + d.kind)}</span></th>)}
                </tr>
              </thead>
              <tbody>
                {c.items.map((it) => (
                  <tr key={it.id} data-item={it.id} class={it.mark === 'must' && !it.documents.length ? 'gl-uncovered' : ''}>
                    <th scope="row"><code>{it.id}</code> {title(it)} <MarkBadge mark={it.mark} /></th>
                    {c.documents.map((d) => <td key={d.id} class="num">{it.documents.includes(d.id) ? '●' : ''}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {docs.data ? (
            <>
              <h3>{t('gl.documents')}</h3>
              <ul id="gl-docs">
                {docs.data.items.map((d) => (
                  <li key={d.id}>{title(d)} ({t('gl.kind.' + d.kind)}, {d.owner}) — {d.public ? t('gl.yes') : <>{t('gl.no')}: {d.reason}</>}</li>
                ))}
              </ul>
            </>
          ) : null}
          {writer ? <DocForm sector={sector} onDone={reload} /> : null}
        </>
      )}
    </section>
  );
}

export function Guideline({ me }) {
  const eds = useFetch('/guideline');
  const [edition, setEdition] = useState('3');
  const ed = useFetch('/guideline/' + encodeURIComponent(edition));
  const list = (eds.data && eds.data.items) || [];
  return (
    <>
      <PageHeader title={t('gl.title')}>
        <button type="button" class="secondary" id="gl-oscal"
          onClick={() => download('/guideline/' + encodeURIComponent(edition) + '/oscal', `guideline-${edition}-oscal.json`)}>{t('gl.oscal')}</button>
      </PageHeader>
      <Field id="gl-edition" label={t('gl.edition')}>
        <Select id="gl-edition" value={edition} onChange={setEdition} options={list.map((e) => [e.edition, `${e.edition}: ${title(e)}`])} />
      </Field>
      <ErrorBox error={eds.error || ed.error} />
      {ed.data ? (
        <>
          <p id="gl-counts">{t('gl.counts', ed.data.counts)}</p>
          <Coverage me={me} edition={edition} />
          <Diff edition={edition} editions={list} />
          <section class="panel">
            <h2>{t('gl.tree')}</h2>
            <Tree items={ed.data.items} />
          </section>
        </>
      ) : <Loading />}
    </>
  );
}
