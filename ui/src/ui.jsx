// ui.jsx - the building blocks every page uses: data loading, errors, the
// TLP badge, labelled fields, sortable and filterable tables with CSV
// download, paging, times.
import { cloneElement, toChildArray } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, saveBlob } from './api.js';
import { fmtTime, lang, nameOf, t } from './i18n.js';

// GET path (below /api/v1) whenever it changes; null path: nothing.
export function useFetch(path) {
  const [state, setState] = useState({ data: null, error: null, loading: !!path });
  const seq = useRef(0);
  const load = useCallback(async () => {
    if (!path) return;
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await get(path);
      if (n === seq.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (n === seq.current) setState({ data: null, error, loading: false });
    }
  }, [path]);
  useEffect(() => {
    load();
  }, [load]);
  return { ...state, reload: load };
}

// The registry's names by id (CEPTOARs, sectors, ...), fetched once per page
// load: names('/ceptoars')('bank-ceptoar') -> '銀行等CEPTOAR'.
const nameCache = {};
export function useNames(list) {
  const [map, setMap] = useState(nameCache[list] || null);
  useEffect(() => {
    if (nameCache[list]) return;
    get(list + '?limit=500').then((r) => {
      nameCache[list] = Object.fromEntries(r.items.map((x) => [x.id, x]));
      setMap(nameCache[list]);
    }).catch(() => {});
  }, [list]);
  return (id) => (map && map[id] ? nameOf(map[id]) : id);
}

// Call fn every ms milliseconds while the page is shown (and at once).
export function usePoll(fn, ms, deps) {
  useEffect(() => {
    let stop = false;
    let timer;
    const tick = async () => {
      try {
        await fn();
      } finally {
        if (!stop) timer = setTimeout(tick, ms);
      }
    };
    tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, deps); // eslint-disable-line
}

export function Loading() {
  return <p class="loading" role="status">{t('state.loading')}</p>;
}

// An error: in Japanese, a summary by its code before the server's own
// message (which is in English); in English, the server's message.
export function ErrorBox({ error }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : '';
  const summary = code && lang() === 'ja' && t('err.' + code) !== 'err.' + code ? t('err.' + code) : '';
  const msg = code === 'network' ? t('err.network') : error.message;
  return (
    <div class="error" role="alert">
      <strong>{t('state.error')}:</strong> {summary ? <>{summary} <span class="muted">（{t('err.detail')}: <span lang="en">{msg}</span>）</span></> : msg}
      {error.field ? <span class="error-field"> ({t('state.field')}: <code>{error.field}</code>)</span> : null}
    </div>
  );
}

export function Notice({ children, kind = 'ok' }) {
  return <div class={`notice notice-${kind}`} role="status">{children}</div>;
}

// Page title and the actions beside it; the window's title is windowTitle
// (default: the heading) and the application's name.
export function PageHeader({ title, windowTitle, children }) {
  const win = windowTitle || title;
  useEffect(() => {
    document.title = `${win} - ${t('app.name')}`;
  }, [win]);
  return (
    <div class="page-header">
      <h1 id="page-title">{title}</h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  );
}

const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

export function tlpClass(tlp) {
  return 'tlp-' + String(tlp || 'AMBER').toLowerCase().replace('+', '-');
}

// TLP 2.0 in FIRST's colours (coloured text on black), with its meaning as a
// tooltip and for screen readers.
export function TlpBadge({ tlp, explain }) {
  const v = TLPS.includes(tlp) ? tlp : 'AMBER';
  return (
    <span class={`tlp ${tlpClass(v)}`} title={t('tlp.' + v)}>
      TLP:{v}
      {explain ? <span class="tlp-explain"> {t('tlp.' + v)}</span> : <span class="sr-only"> {t('tlp.' + v)}</span>}
    </span>
  );
}

export const TLP_VALUES = TLPS;

export function Severity({ value }) {
  return <span class={`sev sev-${value}`}>{t('sev.' + value)}</span>;
}

export function Withheld({ reason }) {
  return (
    <div class="withheld" role="note">
      <span aria-hidden="true">🔒 </span>
      {t('withheld')}
      {reason ? <div class="withheld-reason">{t('withheld.reason', { reason })}</div> : null}
    </div>
  );
}

export function Time({ v }) {
  if (!v) return <span class="muted">—</span>;
  const iso = typeof v === 'number' ? new Date(v * 1000).toISOString() : v;
  return <time datetime={iso}>{fmtTime(v)}</time>;
}

// A labelled control: the control (children) carries id. Its hint and error
// are tied to it here (aria-describedby, aria-invalid), for every caller.
export function Field({ id, label, hint, error, children, wide }) {
  const described = [hint ? id + '-hint' : '', error ? id + '-error' : ''];
  const control = (c) => {
    if (!c || !c.props || c.props.id !== id) return c;
    const ids = new Set([...(c.props['aria-describedby'] || '').split(' '), ...described].filter(Boolean));
    return cloneElement(c, {
      'aria-describedby': ids.size ? [...ids].join(' ') : undefined,
      'aria-invalid': error ? 'true' : undefined,
    });
  };
  return (
    <div class={`field${wide ? ' field-wide' : ''}${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      {toChildArray(children).map(control)}
      {hint ? <div class="hint" id={id + '-hint'}>{hint}</div> : null}
      {error ? <div class="field-message" id={id + '-error'} role="alert">{error}</div> : null}
    </div>
  );
}

// What a form that sends to the server needs: run(fn) clears the last error,
// marks the form busy while fn runs and keeps the error it throws (so what
// was typed stays); fe(name) is that error's message when name is at fault.
export function useAction() {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn) => {
    setError(null);
    setBusy(true);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run, fe: (name) => fieldError(error, name) };
}

// The message of err when it is about field name, for Field's error.
export function fieldError(err, name) {
  return err && err.field && (err.field === name || err.field.startsWith(name + '.') || err.field.startsWith(name + '['))
    ? err.message
    : '';
}

function cellText(col, row) {
  const v = col.value ? col.value(row) : row[col.key];
  return v === null || v === undefined ? '' : String(v);
}

// Would a spreadsheet run s as a formula, after the apostrophes it starts
// with? As the server's CSV reports (base/csv.c): it starts with = + - @, TAB
// or CR and is not a plain number; the apostrophes count, so that csvText
// tells the one added from the text's own.
function needsMark(s) {
  const t = s.replace(/^'+/, '');
  return /^[=+\-@\t\r]/.test(t) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t);
}

// One CSV field of a download that people open in a spreadsheet: quoted as
// RFC 4180 asks, and with an apostrophe in front of what the spreadsheet
// would run as a formula (CWE-1236), so that it shows as text.
function csvField(s) {
  const v = needsMark(s) ? "'" + s : s;
  return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

// The text of a field of such a CSV (ours or the server's): without the
// apostrophe added in front of a formula, if it was.
export function csvText(field) {
  return field.startsWith("'") && needsMark(field.slice(1)) ? field.slice(1) : field;
}

// A table that sorts by any column (click or Enter on its header), filters by
// text, and downloads what it shows as CSV. columns: [{key, label, value?(row)
// (text for sorting, filtering and CSV), render?(row), num?}].
export function DataTable({ columns, rows, caption, csv, filter = true, empty, rowKey = 'id', id }) {
  const [sort, setSort] = useState({ key: null, dir: 1 });
  const [q, setQ] = useState('');
  const shown = useMemo(() => {
    let r = rows || [];
    if (q) {
      const needle = q.toLowerCase();
      r = r.filter((row) => columns.some((c) => cellText(c, row).toLowerCase().includes(needle)));
    }
    if (sort.key) {
      const col = columns.find((c) => c.key === sort.key);
      r = [...r].sort((a, b) => {
        const x = cellText(col, a);
        const y = cellText(col, b);
        const d = col.num ? Number(x) - Number(y) : x.localeCompare(y, 'ja');
        return d * sort.dir;
      });
    }
    return r;
  }, [rows, q, sort, columns]);
  const toggle = (key) => setSort((s) => ({ key, dir: s.key === key ? -s.dir : 1 }));
  const download = () => {
    const lines = [columns.map((c) => csvField(c.label)).join(',')];
    for (const row of shown) lines.push(columns.map((c) => csvField(cellText(c, row))).join(','));
    saveBlob(new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv' }), csv);
  };
  return (
    <div class="datatable" id={id}>
      <div class="table-tools">
        {filter ? (
          <input
            type="search"
            class="table-filter"
            aria-label={t('table.filter')}
            placeholder={t('table.filter')}
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        ) : null}
        <span class="muted table-count">{t(shown.length === 1 ? 'table.row' : 'table.rows', { n: shown.length })}</span>
        {csv ? <button type="button" class="secondary" onClick={download}>{t('act.csv')}</button> : null}
      </div>
      <div class="table-scroll">
        <table>
          {caption ? <caption>{caption}</caption> : null}
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  scope="col"
                  key={c.key}
                  aria-sort={sort.key === c.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'}
                  class={c.num ? 'num' : ''}
                >
                  <button type="button" class="th-sort" onClick={() => toggle(c.key)} title={t('table.sort', { col: c.label })}>
                    {c.label}
                    <span aria-hidden="true" class="sort-mark">{sort.key === c.key ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr><td colSpan={columns.length} class="muted">{empty || t('state.empty')}</td></tr>
            ) : (
              shown.map((row, i) => (
                <tr key={row[rowKey] ?? i}>
                  {columns.map((c) => (
                    <td key={c.key} class={c.num ? 'num' : ''}>{c.render ? c.render(row) : cellText(c, row)}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// A page of a list the server answered, as a table: columns [{label,
// render(row), num?}]; rowAttrs(row) gives a row's attributes.
export function ListTable({ id, columns, rows, empty, rowKey = 'id', rowAttrs }) {
  return (
    <div class="table-scroll">
      <table id={id}>
        <thead>
          <tr>{columns.map((c, i) => <th scope="col" key={i} class={c.num ? 'num' : ''}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={columns.length} class="muted">{empty || t('state.empty')}</td></tr>
          ) : rows.map((r) => (
            <tr key={r[rowKey]} {...(rowAttrs ? rowAttrs(r) : {})}>
              {columns.map((c, i) => <td key={i} class={c.num ? 'num' : ''}>{c.render(r)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Previous/next over a list answer {total, total_capped, limit, offset}.
export function Pager({ page, onOffset }) {
  if (!page || page.total === undefined) return null;
  const from = page.total ? page.offset + 1 : 0;
  const to = Math.min(page.offset + page.limit, page.total);
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" class="secondary" disabled={page.offset === 0}
        onClick={() => onOffset(Math.max(0, page.offset - page.limit))}>{t('act.prev')}</button>
      <span>{t('page.of', { from, to, total: page.total, capped: page.total_capped ? t('page.capped') : '' })}</span>
      <button type="button" class="secondary" disabled={to >= page.total}
        onClick={() => onOffset(page.offset + page.limit)}>{t('act.next')}</button>
    </nav>
  );
}

// A <select> of [value, label] options; other attributes go to the <select>.
export function Select({ id, value, onChange, options, blank, ...attrs }) {
  return (
    <select id={id} value={value} {...attrs} onChange={(e) => onChange(e.currentTarget.value)}>
      {blank !== undefined ? <option value="">{blank}</option> : null}
      {options.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
    </select>
  );
}
