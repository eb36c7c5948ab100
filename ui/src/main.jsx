// main.jsx - the web UI: who is signed in, the page in the URL, the frame
// around every page (menu, language, account).
import './style.css';
import './pages/analysis.css';
import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { del, get, setCsrf, setUnauthorizedHandler } from './api.js';
import { lang, setLang, t } from './i18n.js';
import { href, useRoute } from './router.js';
import { ErrorBox, Loading } from './ui.jsx';
import { Login } from './pages/login.jsx';
import { Home } from './pages/home.jsx';
import { Inbox, DeliveryView } from './pages/inbox.jsx';
import { Reports, ReportView } from './pages/reports.jsx';
import { ReportForm } from './pages/report_form.jsx';
import { Alerts, AlertView } from './pages/alerts.jsx';
import { AlertCompose } from './pages/alert_compose.jsx';
import { Registry } from './pages/registry.jsx';
import { Council } from './pages/council.jsx';
import { Incidents } from './pages/incidents.jsx';
import { Correlations } from './pages/correlations.jsx';
import { Admin } from './pages/admin.jsx';
import { DrillAck, Drills } from './pages/drills.jsx';

// A page whose module is loaded when it is first shown (the analysis pages
// bring the charts, which the other pages do not need).
function lazyPage(load, name) {
  let Page = null;
  return function Lazy(props) {
    const [, setReady] = useState(!!Page);
    const [error, setError] = useState(null);
    useEffect(() => {
      if (!Page) load().then((m) => { Page = m[name]; setReady(true); }).catch(setError);
    }, []);
    if (error) return <ErrorBox error={error} />;
    return Page ? <Page {...props} /> : <Loading />;
  };
}

const Analysis = lazyPage(() => import('./pages/analysis.jsx'), 'Analysis');
const Exercises = lazyPage(() => import('./pages/exercises.jsx'), 'Exercises');
const Plans = lazyPage(() => import('./pages/plans.jsx'), 'Plans');
const Statistics = lazyPage(() => import('./pages/statistics.jsx'), 'Statistics');
const Guideline = lazyPage(() => import('./pages/guideline.jsx'), 'Guideline');
const Surveys = lazyPage(() => import('./pages/surveys.jsx'), 'Surveys');

// The menu: entries [path, label key, roles that see it (all when absent)]
// and groups of entries {id, label key, entries}. A group opens as a list
// under its button; a group with no entry for the role is left out, one with
// a single entry shows that entry as a link of its own.
const NAV = [
  ['/', 'nav.home'],
  { id: 'sharing', key: 'nav.group.sharing', entries: [
    ['/inbox', 'nav.inbox', ['nisc', 'ministry', 'ceptoar', 'operator', 'agency']],
    ['/reports', 'nav.reports', ['nisc', 'ministry', 'ceptoar', 'operator', 'agency']],
    ['/alerts', 'nav.alerts', ['nisc', 'ministry', 'ceptoar', 'operator', 'agency']],
    ['/council', 'nav.council', ['nisc', 'ministry', 'ceptoar', 'agency']],
    ['/incidents', 'nav.incidents', ['nisc', 'ministry', 'ceptoar', 'operator', 'agency']],
    ['/correlations', 'nav.correlations', ['nisc', 'ceptoar']],
  ] },
  { id: 'analysis', key: 'nav.group.analysis', entries: [
    ['/analysis', 'nav.analysis', ['nisc', 'ministry', 'ceptoar', 'agency']],
    ['/exercises', 'nav.exercises', ['nisc', 'ministry', 'ceptoar', 'operator', 'agency']],
    ['/drills', 'nav.drills', ['nisc', 'ministry', 'ceptoar']],
  ] },
  { id: 'standards', key: 'nav.group.standards', entries: [
    ['/guideline', 'nav.guideline'],
    ['/surveys', 'nav.surveys', ['nisc', 'ministry', 'operator']],
    ['/plans', 'nav.plans'],
    ['/statistics', 'nav.statistics', ['nisc', 'ministry']],
  ] },
  ['/registry', 'nav.registry'],
  ['/admin', 'nav.admin', ['admin', 'auditor']],
];

// The menu as the role sees it: entries, and groups with their entries for it.
function menuFor(role) {
  const sees = ([, , roles]) => !roles || roles.includes(role);
  const out = [];
  for (const x of NAV) {
    if (Array.isArray(x)) {
      if (sees(x)) out.push(x);
      continue;
    }
    const entries = x.entries.filter(sees);
    if (entries.length === 1) out.push(entries[0]);
    else if (entries.length > 1) out.push({ ...x, entries });
  }
  return out;
}

function page(route, me) {
  const [a, b, c] = route.path;
  const q = route.query;
  switch (a) {
    case undefined: return <Home me={me} />;
    case 'inbox': return b ? <DeliveryView id={b} me={me} /> : <Inbox me={me} query={q} />;
    case 'reports':
      if (b === 'new') return <ReportForm me={me} />;
      if (b && c === 'edit') return <ReportForm me={me} id={b} />;
      return b ? <ReportView id={b} me={me} /> : <Reports me={me} query={q} />;
    case 'alerts':
      if (b === 'new') return <AlertCompose me={me} />;
      return b ? <AlertView id={b} me={me} /> : <Alerts me={me} query={q} />;
    case 'registry': return <Registry me={me} tab={b} query={q} />;
    case 'council': return <Council me={me} id={b} />;
    case 'incidents': return <Incidents me={me} id={b} />;
    case 'correlations': return <Correlations me={me} />;
    case 'drills': return <Drills me={me} id={b} />;
    case 'analysis': return <Analysis me={me} view={b} id={c} />;
    case 'exercises': return <Exercises me={me} id={b} tab={c} />;
    case 'plans': return <Plans me={me} id={b} />;
    case 'statistics': return <Statistics me={me} />;
    case 'guideline': return <Guideline me={me} />;
    case 'surveys': return <Surveys me={me} id={b} />;
    case 'admin': return <Admin me={me} tab={b} />;
    default: return <p>404</p>;
  }
}

// The main menu: one row of links and group buttons. A group's button opens
// its list (Enter, Space or a click; the down arrow also moves into it);
// Escape, a click outside, leaving it with Tab or choosing a link closes it.
// The group that holds the current page is marked.
function MainNav({ role, current }) {
  const [open, setOpen] = useState(null); // the id of the open group
  const nav = useRef(null);
  const focusAfter = useRef(null); // 'first' or 'last': a link to focus once the list shows
  const items = menuFor(role);

  useEffect(() => setOpen(null), [current]);
  useLayoutEffect(() => {
    if (!open || !focusAfter.current) return;
    const links = nav.current.querySelectorAll(`#menu-${open} a`);
    const link = focusAfter.current === 'last' ? links[links.length - 1] : links[0];
    focusAfter.current = null;
    if (link) link.focus();
  }, [open]);
  useEffect(() => {
    if (!open) return undefined;
    const away = (e) => {
      const group = nav.current && nav.current.querySelector(`[data-group="${open}"]`);
      if (!group || !group.contains(e.target)) setOpen(null);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const button = (id) => nav.current.querySelector(`[data-group="${id}"] > button`);
  const close = (id, refocus) => {
    setOpen(null);
    if (refocus) button(id).focus();
  };
  // the down arrow opens a group at its first link, the up arrow at its last
  const onButtonKey = (id, e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const which = e.key === 'ArrowDown' ? 'first' : 'last';
    if (open === id) {
      const links = nav.current.querySelectorAll(`#menu-${id} a`);
      links[which === 'last' ? links.length - 1 : 0].focus();
    } else {
      focusAfter.current = which;
      setOpen(id);
    }
  };
  const onGroupKey = (id, e) => {
    if (e.key === 'Escape' && open === id) {
      e.preventDefault();
      close(id, true);
      return;
    }
    if (e.target.tagName !== 'A') return;
    const links = [...e.currentTarget.querySelectorAll('a')];
    const i = links.indexOf(e.target);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: links.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    links[(to + links.length) % links.length].focus();
  };
  const onGroupBlur = (id, e) => {
    if (open === id && !e.currentTarget.contains(e.relatedTarget)) setOpen(null);
  };

  const link = ([path, key], onClick) => (
    <a href={href(path)} aria-current={current === path ? 'page' : undefined} onClick={onClick}>{t(key)}</a>
  );
  return (
    <nav class="mainnav" aria-label={t('nav.main')} ref={nav}>
      <ul>
        {items.map((x) => {
          if (Array.isArray(x)) return <li key={x[0]}>{link(x)}</li>;
          const isOpen = open === x.id;
          const here = x.entries.some(([path]) => path === current);
          return (
            <li key={x.id} class="navgroup" data-group={x.id}
              onKeyDown={(e) => onGroupKey(x.id, e)} onFocusOut={(e) => onGroupBlur(x.id, e)}>
              <button type="button" class={here ? 'current' : undefined} aria-expanded={isOpen ? 'true' : 'false'}
                aria-controls={`menu-${x.id}`} onClick={() => setOpen(isOpen ? null : x.id)}
                onKeyDown={(e) => onButtonKey(x.id, e)}>
                {t(x.key)}
              </button>
              <ul id={`menu-${x.id}`} class="navgroup-menu" hidden={!isOpen}>
                {x.entries.map((entry) => (
                  <li key={entry[0]}>{link(entry, () => close(x.id, true))}</li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Shell({ me, onLang, onSignOut, route }) {
  const current = '/' + (route.path[0] || '');
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>{t('skip')}</a>
      <header class="topbar">
        <a class="brand" href={href('/')}>
          <span class="brand-name">{t('app.name')}</span>
          <span class="brand-tag">{t('app.tagline')}</span>
        </a>
        <div class="top-right">
          <button type="button" class="linkish" onClick={onLang} aria-label={t('lang.label')} lang={lang() === 'ja' ? 'en' : 'ja'}>
            {t('lang.switch')}
          </button>
          <details class="account">
            <summary aria-label={t('user.menu')}>
              <span class="account-name">{me.display_name || me.name}</span>
              <span class="account-role">{t('role.' + me.role)} · {me.org_name_ja && lang() === 'ja' ? me.org_name_ja : (me.org_name_en || me.org_code || me.org)}</span>
            </summary>
            <div class="account-menu">
              <button type="button" onClick={() => onSignOut(false)}>{t('user.signout')}</button>
              <button type="button" onClick={() => onSignOut(true)}>{t('user.signout_all')}</button>
            </div>
          </details>
        </div>
      </header>
      <MainNav role={me.role} current={current} />
      <main id="main" tabIndex={-1}>{page(route, me)}</main>
    </div>
  );
}

function App() {
  const [me, setMe] = useState(undefined); // undefined: asking; null: signed out
  const [, setLangTick] = useState(lang());
  const [notice, setNotice] = useState('');
  const route = useRoute();

  const whoami = async () => {
    try {
      const m = await get('/me');
      setCsrf(m.csrf);
      setMe(m);
    } catch (e) {
      setCsrf(null);
      setMe(null);
    }
  };
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrf(null);
      setMe((m) => {
        if (m) setNotice(t('err.session'));
        return null;
      });
    });
    whoami();
  }, []);
  const onLang = () => {
    setLang(lang() === 'ja' ? 'en' : 'ja');
    setLangTick(lang());
  };
  const onSignOut = async (everywhere) => {
    try {
      await del('/sessions' + (everywhere ? '?everywhere=1' : ''));
    } catch (e) {
      /* signed out anyway */
    }
    setCsrf(null);
    setMe(null);
  };
  // a drill message's link: acknowledged with its token, signed in or not
  if (route.path[0] === 'drill-ack') return <DrillAck token={route.path[1] || ''} onLang={onLang} />;
  if (me === undefined) return <Loading />;
  if (me === null)
    return <Login notice={notice} onLang={onLang} onSignedIn={(m) => { setNotice(''); setMe(m); }} />;
  return <Shell me={me} route={route} onLang={onLang} onSignOut={onSignOut} />;
}

render(<App />, document.getElementById('app'));
