// analysis.jsx - interdependency analysis (相互依存性解析): the jobs
// (#/analysis, #/analysis/jobs/ID), the facility models (#/analysis/models,
// #/analysis/models/ID) and starting a job (#/analysis/new, or
// #/analysis/new/MODEL to start one on that model). NISC, ministries,
// agencies and CEPTOAR secretariats use it; the API refuses everyone else.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, del, post, qs } from '../api.js';
import { extend, fmtNum, t } from '../i18n.js';
import { go, href } from '../router.js';
import {
  DataTable, ErrorBox, Field, Loading, Notice, PageHeader, Pager, Select, Time, fieldError, useFetch,
} from '../ui.jsx';
import {
  ANALYSTS, KINDS, NEEDS_MODEL, STATES, StateBadge, fmtBytes, isActive, modelText, progressPct, sectorName, shortId,
  useSectors,
} from './analysis_common.jsx';
import { JobView, rememberJob } from './analysis_job.jsx';
import { Confirm } from './admin_confirm.jsx';

extend({
  ja: {
    'analysis.jobs.title': 'ジョブ',
    'analysis.jobs.empty': 'ジョブはまだありません。「新しいジョブ」から開始できます。',
    'analysis.jobs.filter_state': '状態で絞り込む',
    'analysis.jobs.caption': '解析ジョブ（新しい順）',
    'analysis.jobs.csv': 'analysis-jobs.csv',
    'analysis.models.title': 'モデル',
    'analysis.models.caption': 'アップロードされた施設モデル（新しい順）',
    'analysis.models.empty': 'モデルはまだありません。下のフォームからアップロードしてください。',
    'analysis.models.csv': 'analysis-models.csv',
    'analysis.models.nodes': 'ノード数',
    'analysis.models.nodes_n': '{n} ノード',
    'analysis.models.deps': '依存関係',
    'analysis.models.links': 'リンク',
    'analysis.models.size': 'サイズ',
    'analysis.models.sha256': 'SHA-256',
    'analysis.models.name': '名前',
    'analysis.models.actions': '操作',
    'analysis.models.start': 'このモデルでジョブ開始',
    'analysis.models.delete': 'モデルを削除',
    'analysis.models.delete.confirm': 'モデル「{name}」を削除します。このモデルのジョブと結果は残りますが、モデルは元に戻せません。',
    'analysis.models.deleted': 'モデル「{name}」を削除しました。',
    'analysis.upload.title': 'モデルのアップロード',
    'analysis.upload.file': 'モデルファイル（JSON）',
    'analysis.upload.file.hint': '施設・依存関係・リンクを記述した JSON（最大 64 MiB）。ceptoar sim generate japan --out FILE.json で合成モデルを作れます。',
    'analysis.upload.name': 'モデルの名前',
    'analysis.upload.name.hint': '1〜200 文字。一覧で見分けるための名前です。',
    'analysis.upload.submit': 'アップロード',
    'analysis.upload.busy': 'アップロードして検査しています…',
    'analysis.upload.done': 'モデル「{name}」を登録しました（ノード {nodes}、依存関係 {deps}、リンク {links}）。',
    'analysis.upload.nofile': 'ファイルを選んでください。',
    'analysis.upload.toolarge': 'ファイルが 64 MiB を超えています。',
    'analysis.new.title': '新しいジョブ',
    'analysis.new.kind': '解析の種類',
    'analysis.new.model': '対象モデル',
    'analysis.new.model.blank': '— モデルを選ぶ —',
    'analysis.new.model.none': 'モデルがありません。先に「モデル」ページでアップロードしてください。',
    'analysis.new.scenario': 'シナリオ',
    'analysis.new.template': 'シナリオのテンプレート',
    'analysis.new.template.blackout': '広域停電（blackout）',
    'analysis.new.template.comms': '大規模通信障害（comms）',
    'analysis.new.template.compound': '複合障害（compound）',
    'analysis.new.template.blackout.hint': '対象の都道府県の電力網（power/PP）が 0 時から 24 時間停止します。168 時間を模擬します。',
    'analysis.new.template.comms.hint': '対象の都道府県の通信網（comms/PP）が 0 時から 24 時間停止します。168 時間を模擬します。',
    'analysis.new.template.compound.hint': '広域停電に加えて、6 時間後から通信網が 24 時間停止します。168 時間を模擬します。',
    'analysis.new.regions': '対象の都道府県',
    'analysis.new.regions.hint': '都道府県コード（01〜47）をカンマ区切りで。空欄なら関東（08〜14）。',
    'analysis.new.regions.bad': '都道府県コードは 01〜47 の 2 桁をカンマで区切って入力してください。',
    'analysis.new.regions.kanto': '関東',
    'analysis.new.regions.kinki': '近畿',
    'analysis.new.regions.tokyo': '東京都のみ',
    'analysis.new.regions.all': '全国',
    'analysis.new.regions.preset': '{name} を入力',
    'analysis.new.trials': '試行回数',
    'analysis.new.trials.hint': '1 で詳細な 1 回の実行（波及の連鎖つき）、2 以上でモンテカルロ（平均と 5〜95% の幅）。',
    'analysis.new.seed': '乱数シード',
    'analysis.new.seed.hint': '空欄で 1。同じシードなら同じ結果になります。',
    'analysis.new.points': '時間グリッドの点数',
    'analysis.new.points.hint': 'モンテカルロの時間の刻み（空欄で 241）。',
    'analysis.new.sweep': 'スイープの設定',
    'analysis.new.sw_points': '点数',
    'analysis.new.sw_points.hint': '残す割合 p の点の数（空欄で 50）。',
    'analysis.new.sw_trials': '試行回数',
    'analysis.new.sw_trials.hint': '各点の試行回数（空欄で 1）。',
    'analysis.new.layer': '対象の層',
    'analysis.new.layer.hint': '例: power/13。空欄ならすべての層。',
    'analysis.new.p_min': 'p の最小',
    'analysis.new.p_max': 'p の最大',
    'analysis.new.p.hint': '0〜1（空欄で 0 と 1）。',
    'analysis.new.rank': 'ランキングの設定',
    'analysis.new.top': '上位件数',
    'analysis.new.top.hint': '結果に載せる上位の数（空欄で 20）。',
    'analysis.new.candidates': '候補数',
    'analysis.new.candidates.hint': '空欄なら全ノード（500 万まで）。大きなモデルで候補を絞るとき。',
    'analysis.new.pert': '外乱（直接の機能停止）',
    'analysis.new.pert.hint': '分野ごとの直接の停止率（0〜1）。DIIM では開始・終了時刻（時間）を指定できます（空欄: 最初から・最後まで）。',
    'analysis.new.pert.sector': '分野（{n} 行目）',
    'analysis.new.pert.value': '停止率（{n} 行目）',
    'analysis.new.pert.from': '開始（時間、{n} 行目）',
    'analysis.new.pert.to': '終了（時間、{n} 行目）',
    'analysis.new.pert.add': '行を追加',
    'analysis.new.pert.remove': '{n} 行目を削除',
    'analysis.new.steps': 'ステップ数',
    'analysis.new.steps.hint': '1〜100,000（空欄で 168）。',
    'analysis.new.dt': '1 ステップの時間（時間）',
    'analysis.new.dt.hint': '空欄で 1。',
    'analysis.new.advanced': '詳細オプション（JSON）',
    'analysis.new.advanced.hint': '上の項目に加えて、または上書きして渡すオプション。例: {"recovery": {"electricity": 24}}、{"scenario": {…シナリオ…}}。詳しくは docs/analysis.md。',
    'analysis.new.advanced.bad': 'JSON のオブジェクトとして読めません: {msg}',
    'analysis.new.preview': '送信する内容（JSON）',
    'analysis.new.submit': 'ジョブを開始',
    'analysis.new.busy': '送信しています…',
    'analysis.new.number': '数値を入力してください。',
    'analysis.new.illustrative': 'モデルを指定しない IIM/DIIM は例示用の既定行列（10 分野）を使います。結果は手法の説明用で、統計ではありません。',
  },
  en: {
    'analysis.jobs.title': 'Jobs',
    'analysis.jobs.empty': 'No jobs yet. Start one under "New job".',
    'analysis.jobs.filter_state': 'Filter by state',
    'analysis.jobs.caption': 'Analysis jobs (newest first)',
    'analysis.jobs.csv': 'analysis-jobs.csv',
    'analysis.models.title': 'Models',
    'analysis.models.caption': 'Uploaded facility models (newest first)',
    'analysis.models.empty': 'No models yet. Upload one with the form below.',
    'analysis.models.csv': 'analysis-models.csv',
    'analysis.models.nodes': 'Nodes',
    'analysis.models.nodes_n': '{n} nodes',
    'analysis.models.deps': 'Dependencies',
    'analysis.models.links': 'Links',
    'analysis.models.size': 'Size',
    'analysis.models.sha256': 'SHA-256',
    'analysis.models.name': 'Name',
    'analysis.models.actions': 'Actions',
    'analysis.models.start': 'Start a job on this model',
    'analysis.models.delete': 'Delete the model',
    'analysis.models.delete.confirm': 'Delete the model "{name}"? Its jobs and their results are kept, but the model cannot be restored.',
    'analysis.models.deleted': 'The model "{name}" was deleted.',
    'analysis.upload.title': 'Upload a model',
    'analysis.upload.file': 'Model file (JSON)',
    'analysis.upload.file.hint': 'JSON describing the facilities, dependencies and links (at most 64 MiB). ceptoar sim generate japan --out FILE.json makes a synthetic one.',
    'analysis.upload.name': 'Name of the model',
    'analysis.upload.name.hint': '1 to 200 characters, to tell it apart in the list.',
    'analysis.upload.submit': 'Upload',
    'analysis.upload.busy': 'Uploading and checking…',
    'analysis.upload.done': 'The model "{name}" was added ({nodes} nodes, {deps} dependencies, {links} links).',
    'analysis.upload.nofile': 'Choose a file.',
    'analysis.upload.toolarge': 'The file is larger than 64 MiB.',
    'analysis.new.title': 'New job',
    'analysis.new.kind': 'Kind of analysis',
    'analysis.new.model': 'Model',
    'analysis.new.model.blank': '— choose a model —',
    'analysis.new.model.none': 'There are no models. Upload one on the "Models" page first.',
    'analysis.new.scenario': 'Scenario',
    'analysis.new.template': 'Scenario template',
    'analysis.new.template.blackout': 'Wide-area blackout (blackout)',
    'analysis.new.template.comms': 'Communications failure (comms)',
    'analysis.new.template.compound': 'Compound failure (compound)',
    'analysis.new.template.blackout.hint': 'The power grids (power/PP) of the prefectures fail for 24 hours from hour 0; 168 hours simulated.',
    'analysis.new.template.comms.hint': 'The telecom networks (comms/PP) of the prefectures fail for 24 hours from hour 0; 168 hours simulated.',
    'analysis.new.template.compound.hint': 'The blackout, and the telecom networks fail for 24 hours from hour 6; 168 hours simulated.',
    'analysis.new.regions': 'Prefectures',
    'analysis.new.regions.hint': 'Prefecture codes (01 to 47), separated by commas. Empty: the Kanto region (08 to 14).',
    'analysis.new.regions.bad': 'Enter two-digit prefecture codes from 01 to 47, separated by commas.',
    'analysis.new.regions.kanto': 'Kanto',
    'analysis.new.regions.kinki': 'Kinki',
    'analysis.new.regions.tokyo': 'Tokyo only',
    'analysis.new.regions.all': 'All Japan',
    'analysis.new.regions.preset': 'Fill in {name}',
    'analysis.new.trials': 'Trials',
    'analysis.new.trials.hint': '1: one detailed run (with the propagation chain); 2 or more: Monte Carlo (mean and the 5-95 % band).',
    'analysis.new.seed': 'Random seed',
    'analysis.new.seed.hint': 'Empty: 1. The same seed gives the same result.',
    'analysis.new.points': 'Points of the time grid',
    'analysis.new.points.hint': 'Monte Carlo\'s time grid (empty: 241).',
    'analysis.new.sweep': 'Sweep settings',
    'analysis.new.sw_points': 'Points',
    'analysis.new.sw_points.hint': 'How many kept fractions p (empty: 50).',
    'analysis.new.sw_trials': 'Trials',
    'analysis.new.sw_trials.hint': 'Trials per point (empty: 1).',
    'analysis.new.layer': 'Layer',
    'analysis.new.layer.hint': 'E.g. power/13. Empty: every layer.',
    'analysis.new.p_min': 'Lowest p',
    'analysis.new.p_max': 'Highest p',
    'analysis.new.p.hint': '0 to 1 (empty: 0 and 1).',
    'analysis.new.rank': 'Ranking settings',
    'analysis.new.top': 'Top',
    'analysis.new.top.hint': 'How many of the first to put in the result (empty: 20).',
    'analysis.new.candidates': 'Candidates',
    'analysis.new.candidates.hint': 'Empty: every node (up to 5 million). To limit the candidates in large models.',
    'analysis.new.pert': 'Perturbation (direct inoperability)',
    'analysis.new.pert.hint': 'Each sector\'s direct inoperability (0 to 1). For DIIM, from and to in hours (empty: from the start, to the end).',
    'analysis.new.pert.sector': 'Sector (row {n})',
    'analysis.new.pert.value': 'Inoperability (row {n})',
    'analysis.new.pert.from': 'From (hours, row {n})',
    'analysis.new.pert.to': 'To (hours, row {n})',
    'analysis.new.pert.add': 'Add a row',
    'analysis.new.pert.remove': 'Remove row {n}',
    'analysis.new.steps': 'Steps',
    'analysis.new.steps.hint': '1 to 100,000 (empty: 168).',
    'analysis.new.dt': 'Hours per step',
    'analysis.new.dt.hint': 'Empty: 1.',
    'analysis.new.advanced': 'Advanced options (JSON)',
    'analysis.new.advanced.hint': 'Options passed in addition to, or instead of, the fields above. E.g. {"recovery": {"electricity": 24}}, {"scenario": {…a scenario…}}. See docs/analysis.md.',
    'analysis.new.advanced.bad': 'Not a JSON object: {msg}',
    'analysis.new.preview': 'What will be sent (JSON)',
    'analysis.new.submit': 'Start the job',
    'analysis.new.busy': 'Sending…',
    'analysis.new.number': 'Enter a number.',
    'analysis.new.illustrative': 'IIM and DIIM without a matrix use the illustrative default matrix of the ten sectors: the results show the method; they are not statistics.',
  },
});

const TABS = [
  ['jobs', 'analysis.tab.jobs'],
  ['models', 'analysis.tab.models'],
  ['new', 'analysis.tab.new'],
];

function Tabs({ current }) {
  return (
    <nav class="tabs" aria-label={t('analysis.tabs')}>
      {TABS.map(([v, key]) => (
        <a key={v} href={href('/analysis/' + v)} aria-current={current === v ? 'page' : undefined}>{t(key)}</a>
      ))}
    </nav>
  );
}

export function Analysis({ me, view, id }) {
  if (!ANALYSTS.includes(me.role)) {
    return (
      <div>
        <PageHeader title={t('analysis.title')} />
        <Notice kind="warn">{t('analysis.denied', { role: t('role.' + me.role) })}</Notice>
      </div>
    );
  }
  if (view === 'jobs' && id) return <JobView me={me} id={id} tabs={<Tabs current="jobs" />} />;
  const v = view === 'models' || view === 'new' ? view : 'jobs';
  return (
    <div class="analysis">
      {v === 'jobs' ? <JobList me={me} /> : v === 'models' ? <Models me={me} id={id} /> : <NewJob me={me} modelId={id} />}
    </div>
  );
}

// 403 from the API: the clear message instead of the bare error.
function Denied({ error }) {
  if (error instanceof ApiError && error.status === 403) return <Notice kind="warn">{t('analysis.denied.api')}</Notice>;
  return <ErrorBox error={error} />;
}

// ---- jobs ----

function JobProgress({ job }) {
  if (job.state === 'queued') return <span class="muted">{t('analysis.state.queued')}</span>;
  if (job.state !== 'running') return null;
  const pct = progressPct(job.progress);
  return (
    <span class="job-progress-cell">
      <progress max="100" value={pct} aria-label={t('analysis.progress')} />
      <span>{pct}%</span>
    </span>
  );
}

// A job's options in a line (long values cut).
function optionsText(o) {
  if (!o) return '';
  return Object.entries(o).map(([k, v]) => {
    let x = typeof v === 'string' ? v : JSON.stringify(v);
    if (x.length > 40) x = x.slice(0, 39) + '…';
    return `${k}=${x}`;
  }).join(' ');
}

function JobList({ me }) {
  const [state, setState] = useState('');
  const [offset, setOffset] = useState(0);
  const { data, error, reload } = useFetch('/analysis/jobs' + qs({ state, limit: 50, offset }));
  // follow the jobs that have not ended
  useEffect(() => {
    if (!data || !data.items.some(isActive)) return undefined;
    const timer = setTimeout(reload, 2000);
    return () => clearTimeout(timer);
  }, [data]);
  const columns = useMemo(() => [
    { key: 'created_at', label: t('analysis.created_at'), render: (j) => <Time v={j.created_at} /> },
    {
      key: 'kind', label: t('analysis.kind'), value: (j) => t('analysis.kind.' + j.kind),
      render: (j) => <a href={href('/analysis/jobs/' + j.id)}>{t('analysis.kind.' + j.kind)}</a>,
    },
    { key: 'model_name', label: t('analysis.model'), value: (j) => modelText(j) },
    { key: 'options', label: t('analysis.options'), value: (j) => optionsText(j.options), render: (j) => <code class="job-options">{optionsText(j.options)}</code> },
    { key: 'state', label: t('analysis.state'), value: (j) => t('analysis.state.' + j.state), render: (j) => <StateBadge state={j.state} /> },
    { key: 'progress', label: t('analysis.progress'), value: (j) => progressPct(j.progress), num: true, render: (j) => <JobProgress job={j} /> },
    { key: 'created_by', label: t('analysis.created_by') },
    { key: 'id', label: t('analysis.id'), value: (j) => j.id, render: (j) => <a href={href('/analysis/jobs/' + j.id)} title={j.id}><code>{shortId(j.id)}</code></a> },
  ], [me, data]); // eslint-disable-line
  return (
    <div>
      <PageHeader title={t('analysis.title')}>
        <a class="button primary" href={href('/analysis/new')}>{t('analysis.tab.new')}</a>
      </PageHeader>
      <Tabs current="jobs" />
      <p class="muted analysis-lead">{t('analysis.lead')}</p>
      <div class="filters">
        <Field id="jobs-state" label={t('analysis.jobs.filter_state')}>
          <Select id="jobs-state" value={state} blank={t('analysis.state.all')}
            onChange={(v) => { setState(v); setOffset(0); }}
            options={STATES.map((s) => [s, t('analysis.state.' + s)])} />
        </Field>
        <button type="button" class="secondary" onClick={reload}>{t('act.reload')}</button>
      </div>
      {error ? <Denied error={error} /> : null}
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div>
          <DataTable id="analysis-jobs" columns={columns} rows={data.items} caption={t('analysis.jobs.caption')}
            csv={t('analysis.jobs.csv')} empty={t('analysis.jobs.empty')} />
          <Pager page={data} onOffset={setOffset} />
        </div>
      ) : null}
    </div>
  );
}

// ---- models ----

const MODEL_MAX = 64 * 1024 * 1024;

function UploadForm({ onDone }) {
  const [file, setFile] = useState(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!file) {
      setError(new ApiError(0, 'invalid', t('analysis.upload.nofile'), 'file'));
      return;
    }
    if (file.size > MODEL_MAX) {
      setError(new ApiError(0, 'too_large', t('analysis.upload.toolarge'), 'file'));
      return;
    }
    setBusy(true);
    try {
      const text = await file.text();
      const m = await api('POST', '/analysis/models' + qs({ name: name.trim() }), text, { type: 'application/json' });
      setDone(m);
      onDone(m);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onFile = (e) => {
    const f = e.currentTarget.files && e.currentTarget.files[0];
    setFile(f || null);
    if (f && !name.trim()) setName(f.name.replace(/\.json$/i, ''));
  };
  return (
    <section class="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('analysis.upload.title')}</h2>
      {done ? (
        <Notice>
          {t('analysis.upload.done', { name: done.name, nodes: fmtNum(done.nodes, 0), deps: fmtNum(done.dependencies, 0), links: fmtNum(done.links, 0) })}{' '}
          <a href={href('/analysis/new/' + done.id)}>{t('analysis.models.start')}</a>
        </Notice>
      ) : null}
      <ErrorBox error={error} />
      <form onSubmit={submit} class="form-grid upload-grid">
        <Field id="model-file" label={t('analysis.upload.file')} hint={t('analysis.upload.file.hint')}
          error={fieldError(error, 'file')}>
          <input id="model-file" type="file" accept=".json,application/json" required onChange={onFile} />
        </Field>
        <Field id="model-name" label={t('analysis.upload.name')} hint={t('analysis.upload.name.hint')}
          error={fieldError(error, 'name')}>
          <input id="model-name" value={name} required maxLength={200}
            onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <div class="form-actions field-wide">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('analysis.upload.busy') : t('analysis.upload.submit')}</button>
        </div>
      </form>
    </section>
  );
}

function Models({ me, id }) {
  const { data, error, reload } = useFetch('/analysis/models?limit=500');
  const [ask, setAsk] = useState(null);
  const [delError, setDelError] = useState(null);
  const [notice, setNotice] = useState('');
  const remove = async (m) => {
    setDelError(null);
    try {
      await del('/analysis/models/' + encodeURIComponent(m.id));
      setNotice(t('analysis.models.deleted', { name: m.name }));
      if (id) go('/analysis/models');
      reload();
    } catch (e) {
      setDelError(e);
    }
  };
  const columns = useMemo(() => [
    {
      key: 'name', label: t('analysis.models.name'),
      render: (m) => <a href={href('/analysis/models/' + m.id)}>{m.name}</a>,
    },
    { key: 'nodes', label: t('analysis.models.nodes'), num: true, render: (m) => fmtNum(m.nodes, 0) },
    { key: 'dependencies', label: t('analysis.models.deps'), num: true, render: (m) => fmtNum(m.dependencies, 0) },
    { key: 'links', label: t('analysis.models.links'), num: true, render: (m) => fmtNum(m.links, 0) },
    { key: 'size', label: t('analysis.models.size'), num: true, render: (m) => fmtBytes(m.size) },
    { key: 'org', label: t('analysis.org') },
    { key: 'created_by', label: t('analysis.created_by') },
    { key: 'created_at', label: t('analysis.created_at'), render: (m) => <Time v={m.created_at} /> },
    {
      key: 'actions', label: t('analysis.models.actions'), value: () => '',
      render: (m) => (
        <span class="row-actions">
          <a class="button" href={href('/analysis/new/' + m.id)} aria-label={`${t('analysis.models.start')}: ${m.name}`}>{t('analysis.models.start')}</a>
          {m.org === me.org ? (
            <button type="button" class="danger" onClick={() => setAsk(m)} aria-label={`${t('analysis.models.delete')}: ${m.name}`}>{t('act.delete')}</button>
          ) : null}
        </span>
      ),
    },
  ], [me, data]); // eslint-disable-line
  const selected = id && data ? data.items.find((m) => m.id === id) : null;
  return (
    <div>
      <PageHeader title={selected ? `${t('analysis.model')}: ${selected.name}` : t('analysis.models.title')} />
      <Tabs current="models" />
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorBox error={delError} />
      {error ? <Denied error={error} /> : null}
      {!data && !error ? <Loading /> : null}
      {selected ? <ModelDetail model={selected} me={me} onDelete={() => setAsk(selected)} /> : null}
      {id && data && !selected ? <ErrorBox error={new ApiError(404, 'not_found', id)} /> : null}
      {data ? (
        <DataTable id="analysis-models" columns={columns} rows={data.items} caption={t('analysis.models.caption')}
          csv={t('analysis.models.csv')} empty={t('analysis.models.empty')} />
      ) : null}
      {!error ? <UploadForm onDone={() => { setNotice(''); reload(); }} /> : null}
      <Confirm open={!!ask} danger title={t('analysis.models.delete')} confirmLabel={t('act.delete')}
        onCancel={() => setAsk(null)} onConfirm={() => { const m = ask; setAsk(null); remove(m); }}>
        {ask ? t('analysis.models.delete.confirm', { name: ask.name }) : ''}
      </Confirm>
    </div>
  );
}

function ModelDetail({ model, me, onDelete }) {
  return (
    <section class="panel" aria-label={model.name}>
      <dl class="props">
        <dt>{t('analysis.id')}</dt><dd><code>{model.id}</code></dd>
        <dt>{t('analysis.models.nodes')}</dt><dd>{fmtNum(model.nodes, 0)}</dd>
        <dt>{t('analysis.models.deps')}</dt><dd>{fmtNum(model.dependencies, 0)}</dd>
        <dt>{t('analysis.models.links')}</dt><dd>{fmtNum(model.links, 0)}</dd>
        <dt>{t('analysis.models.size')}</dt><dd>{fmtBytes(model.size)}</dd>
        <dt>{t('analysis.models.sha256')}</dt><dd><code class="wrap">{model.sha256}</code></dd>
        <dt>{t('analysis.org')}</dt><dd>{model.org}</dd>
        <dt>{t('analysis.created_by')}</dt><dd>{model.created_by}</dd>
        <dt>{t('analysis.created_at')}</dt><dd><Time v={model.created_at} /></dd>
      </dl>
      <div class="form-actions">
        <a class="button primary" href={href('/analysis/new/' + model.id)}>{t('analysis.models.start')}</a>
        {model.org === me.org ? <button type="button" class="danger" onClick={onDelete}>{t('analysis.models.delete')}</button> : null}
      </div>
    </section>
  );
}

// ---- a new job ----

const REGION_PRESETS = [
  ['kanto', '08,09,10,11,12,13,14'],
  ['kinki', '25,26,27,28,29,30'],
  ['tokyo', '13'],
  ['all', Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')).join(',')],
];

const EMPTY = {
  kind: 'run', model: '', template: 'blackout', regions: '', trials: '1', seed: '', points: '',
  sw_points: '', sw_trials: '', layer: '', p_min: '', p_max: '', sw_seed: '',
  top: '', candidates: '',
  pert: [{ sector: 'electricity', value: '0.6', from: '', to: '' }], steps: '', dt: '',
  advanced: '',
};

// What the user typed, kept while they look at other pages.
let draft = EMPTY;

class FormError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function num(v, field) {
  const s = String(v).trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new FormError(field, t('analysis.new.number'));
  return n;
}

function put(o, key, v) {
  if (v !== undefined) o[key] = v;
}

// The request body the form describes (throws FormError).
export function buildJob(d) {
  const options = {};
  if (d.kind === 'run') {
    const regions = d.regions.replace(/\s+/g, '');
    if (regions && !/^(0[1-9]|[1-3][0-9]|4[0-7])(,(0[1-9]|[1-3][0-9]|4[0-7]))*$/.test(regions))
      throw new FormError('regions', t('analysis.new.regions.bad'));
    options.scenario = d.template + (regions ? ':' + regions : '');
    put(options, 'trials', num(d.trials, 'trials'));
    put(options, 'seed', num(d.seed, 'seed'));
    put(options, 'points', num(d.points, 'points'));
  } else if (d.kind === 'sweep') {
    put(options, 'points', num(d.sw_points, 'points'));
    put(options, 'trials', num(d.sw_trials, 'trials'));
    if (d.layer.trim()) options.layer = d.layer.trim();
    put(options, 'p_min', num(d.p_min, 'p_min'));
    put(options, 'p_max', num(d.p_max, 'p_max'));
    put(options, 'seed', num(d.sw_seed, 'seed'));
  } else if (d.kind === 'rank') {
    put(options, 'top', num(d.top, 'top'));
    put(options, 'candidates', num(d.candidates, 'candidates'));
  } else {
    const rows = d.pert.filter((p) => p.sector && String(p.value).trim() !== '');
    const windows = d.kind === 'diim' && rows.some((p) => String(p.from).trim() !== '' || String(p.to).trim() !== '');
    if (windows) {
      options.perturbation = rows.map((p) => {
        const w = { sector: p.sector, value: num(p.value, 'perturbation') };
        put(w, 'from', num(p.from, 'perturbation'));
        put(w, 'to', num(p.to, 'perturbation'));
        return w;
      });
    } else if (rows.length) {
      options.perturbation = {};
      for (const p of rows) options.perturbation[p.sector] = num(p.value, 'perturbation');
    }
    if (d.kind === 'diim') {
      put(options, 'steps', num(d.steps, 'steps'));
      put(options, 'dt', num(d.dt, 'dt'));
    }
  }
  if (d.advanced.trim()) {
    let extra;
    try {
      extra = JSON.parse(d.advanced);
    } catch (e) {
      throw new FormError('advanced', t('analysis.new.advanced.bad', { msg: e.message }));
    }
    if (!extra || typeof extra !== 'object' || Array.isArray(extra))
      throw new FormError('advanced', t('analysis.new.advanced.bad', { msg: typeof extra }));
    Object.assign(options, extra);
  }
  const body = { kind: d.kind, options };
  if (NEEDS_MODEL[d.kind]) body.model = d.model;
  return body;
}

// The server's field names that have no field of their own in the form.
const ADVANCED_FIELDS = ['recovery', 'output_hours', 'matrix', 'table', 'value', 'from', 'to', 'advanced'];

function NewJob({ me, modelId }) {
  const [d, setD] = useState(() => (modelId ? { ...draft, model: modelId } : draft));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const models = useFetch('/analysis/models?limit=500');
  const sectors = useSectors();
  const errorRef = useRef(null);
  useEffect(() => { draft = d; }, [d]);
  useEffect(() => {
    if (modelId) setD((x) => ({ ...x, model: modelId, kind: NEEDS_MODEL[x.kind] ? x.kind : 'run' }));
  }, [modelId]);
  // one model and none chosen: that one
  useEffect(() => {
    const items = models.data ? models.data.items : [];
    if (items.length && !items.some((m) => m.id === d.model)) setD((x) => ({ ...x, model: items[0].id }));
  }, [models.data]);
  const set = (key) => (v) => setD((x) => ({ ...x, [key]: v }));
  const input = (key) => (e) => set(key)(e.currentTarget.value);
  const setPert = (i, key, v) => setD((x) => ({ ...x, pert: x.pert.map((p, j) => (j === i ? { ...p, [key]: v } : p)) }));
  let preview = '';
  let previewError = null;
  try {
    preview = JSON.stringify(buildJob(d), null, 2);
  } catch (e) {
    previewError = e;
  }
  const fe = (name) => fieldError(error, name);
  const advancedError = error && (ADVANCED_FIELDS.includes(error.field) || (error.field && !FORM_FIELDS[d.kind].includes(error.field)))
    ? error.message : '';

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    let body;
    try {
      body = buildJob(d);
    } catch (err) {
      setError(err);
      return;
    }
    setBusy(true);
    try {
      const job = await post('/analysis/jobs', body);
      rememberJob(job);
      go('/analysis/jobs/' + job.id);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (errorRef.current) errorRef.current.focus();
    }
  };
  const modelItems = models.data ? models.data.items : [];
  const needsModel = NEEDS_MODEL[d.kind];
  const sectorOptions = Object.values(sectors).map((s) => [s.id, sectorName(sectors, s.id)]);
  if (!sectorOptions.length) sectorOptions.push(['electricity', 'electricity']);
  return (
    <div>
      <PageHeader title={t('analysis.new.title')} />
      <Tabs current="new" />
      {models.error ? <Denied error={models.error} /> : null}
      <div ref={errorRef} tabIndex={-1}><ErrorBox error={error} /></div>
      <form onSubmit={submit} class="job-form" novalidate>
        <fieldset>
          <legend>{t('analysis.new.kind')}</legend>
          <div class="kind-choices">
            {KINDS.map((k) => (
              <label key={k} class={`kind-choice${d.kind === k ? ' selected' : ''}`} for={'job-kind-' + k}>
                <input type="radio" name="job-kind" id={'job-kind-' + k} value={k} checked={d.kind === k}
                  onChange={() => set('kind')(k)} aria-describedby={'job-kind-' + k + '-hint'} />
                <span>
                  <strong>{t('analysis.kind.' + k)}</strong>
                  <span class="hint" id={'job-kind-' + k + '-hint'}>{t(`analysis.kind.${k}.hint`)}</span>
                </span>
              </label>
            ))}
          </div>
          {fe('kind') ? <div class="field-message" role="alert">{fe('kind')}</div> : null}
        </fieldset>

        {needsModel ? (
          <Field id="job-model" label={t('analysis.new.model')} error={fe('model')}
            hint={!models.data || modelItems.length ? '' : t('analysis.new.model.none')}>
            <Select id="job-model" value={d.model} onChange={set('model')} required blank={t('analysis.new.model.blank')}
              options={modelItems.map((m) => [m.id, `${m.name} (${t('analysis.models.nodes_n', { n: fmtNum(m.nodes, 0) })}, ${shortId(m.id)})`])} />
          </Field>
        ) : <Notice kind="warn">{t('analysis.new.illustrative')}</Notice>}

        {d.kind === 'run' ? (
          <fieldset>
            <legend>{t('analysis.new.scenario')}</legend>
            <div class="form-grid">
              <Field id="job-template" label={t('analysis.new.template')} error={fe('scenario')}
                hint={t('analysis.new.template.' + d.template + '.hint')}>
                <Select id="job-template" value={d.template} onChange={set('template')}
                  options={['blackout', 'comms', 'compound'].map((x) => [x, t('analysis.new.template.' + x)])} />
              </Field>
              <Field id="job-regions" label={t('analysis.new.regions')} hint={t('analysis.new.regions.hint')} error={fe('regions')}>
                <input id="job-regions" value={d.regions} onInput={input('regions')} inputMode="numeric"
                  placeholder="08,09,10,11,12,13,14" autocomplete="off" />
                <div class="presets">
                  {REGION_PRESETS.map(([k, v]) => (
                    <button type="button" key={k} class="secondary small" onClick={() => set('regions')(v)}
                      aria-label={t('analysis.new.regions.preset', { name: t('analysis.new.regions.' + k) })}>
                      {t('analysis.new.regions.' + k)}
                    </button>
                  ))}
                </div>
              </Field>
              <Field id="job-trials" label={t('analysis.new.trials')} hint={t('analysis.new.trials.hint')} error={fe('trials')}>
                <input id="job-trials" type="number" min="1" max="100000" step="1" value={d.trials} onInput={input('trials')} />
              </Field>
              <Field id="job-seed" label={t('analysis.new.seed')} hint={t('analysis.new.seed.hint')} error={fe('seed')}>
                <input id="job-seed" type="number" min="0" step="1" value={d.seed} onInput={input('seed')} />
              </Field>
              <Field id="job-points" label={t('analysis.new.points')} hint={t('analysis.new.points.hint')} error={fe('points')}>
                <input id="job-points" type="number" min="2" step="1" value={d.points} onInput={input('points')} />
              </Field>
            </div>
          </fieldset>
        ) : null}

        {d.kind === 'sweep' ? (
          <fieldset>
            <legend>{t('analysis.new.sweep')}</legend>
            <div class="form-grid">
              <Field id="job-sw-points" label={t('analysis.new.sw_points')} hint={t('analysis.new.sw_points.hint')} error={fe('points')}>
                <input id="job-sw-points" type="number" min="1" max="1000" step="1" value={d.sw_points} onInput={input('sw_points')} />
              </Field>
              <Field id="job-sw-trials" label={t('analysis.new.sw_trials')} hint={t('analysis.new.sw_trials.hint')} error={fe('trials')}>
                <input id="job-sw-trials" type="number" min="1" step="1" value={d.sw_trials} onInput={input('sw_trials')} />
              </Field>
              <Field id="job-layer" label={t('analysis.new.layer')} hint={t('analysis.new.layer.hint')} error={fe('layer')}>
                <input id="job-layer" value={d.layer} onInput={input('layer')} autocomplete="off" />
              </Field>
              <Field id="job-pmin" label={t('analysis.new.p_min')} hint={t('analysis.new.p.hint')} error={fe('p_min')}>
                <input id="job-pmin" type="number" min="0" max="1" step="0.01" value={d.p_min} onInput={input('p_min')} />
              </Field>
              <Field id="job-pmax" label={t('analysis.new.p_max')} hint={t('analysis.new.p.hint')} error={fe('p_max')}>
                <input id="job-pmax" type="number" min="0" max="1" step="0.01" value={d.p_max} onInput={input('p_max')} />
              </Field>
              <Field id="job-sw-seed" label={t('analysis.new.seed')} hint={t('analysis.new.seed.hint')} error={fe('seed')}>
                <input id="job-sw-seed" type="number" min="0" step="1" value={d.sw_seed} onInput={input('sw_seed')} />
              </Field>
            </div>
          </fieldset>
        ) : null}

        {d.kind === 'rank' ? (
          <fieldset>
            <legend>{t('analysis.new.rank')}</legend>
            <div class="form-grid">
              <Field id="job-top" label={t('analysis.new.top')} hint={t('analysis.new.top.hint')} error={fe('top')}>
                <input id="job-top" type="number" min="1" step="1" value={d.top} onInput={input('top')} />
              </Field>
              <Field id="job-candidates" label={t('analysis.new.candidates')} hint={t('analysis.new.candidates.hint')} error={fe('candidates')}>
                <input id="job-candidates" type="number" min="1" step="1" value={d.candidates} onInput={input('candidates')} />
              </Field>
            </div>
          </fieldset>
        ) : null}

        {d.kind === 'iim' || d.kind === 'diim' ? (
          <fieldset aria-describedby="job-pert-hint">
            <legend>{t('analysis.new.pert')}</legend>
            <p class="hint" id="job-pert-hint">{t('analysis.new.pert.hint')}</p>
            {fe('perturbation') ? <div class="field-message" role="alert">{fe('perturbation')}</div> : null}
            {d.pert.map((p, i) => (
              <div class="pert-row" key={i}>
                <Field id={`job-pert-sector-${i}`} label={t('analysis.new.pert.sector', { n: i + 1 })}>
                  <Select id={`job-pert-sector-${i}`} value={p.sector} onChange={(v) => setPert(i, 'sector', v)} options={sectorOptions} />
                </Field>
                <Field id={`job-pert-value-${i}`} label={t('analysis.new.pert.value', { n: i + 1 })}>
                  <input id={`job-pert-value-${i}`} type="number" min="0" max="1" step="0.05" value={p.value}
                    onInput={(e) => setPert(i, 'value', e.currentTarget.value)} />
                </Field>
                {d.kind === 'diim' ? (
                  <Field id={`job-pert-from-${i}`} label={t('analysis.new.pert.from', { n: i + 1 })}>
                    <input id={`job-pert-from-${i}`} type="number" min="0" step="1" value={p.from}
                      onInput={(e) => setPert(i, 'from', e.currentTarget.value)} />
                  </Field>
                ) : null}
                {d.kind === 'diim' ? (
                  <Field id={`job-pert-to-${i}`} label={t('analysis.new.pert.to', { n: i + 1 })}>
                    <input id={`job-pert-to-${i}`} type="number" min="0" step="1" value={p.to}
                      onInput={(e) => setPert(i, 'to', e.currentTarget.value)} />
                  </Field>
                ) : null}
                <button type="button" class="secondary small" disabled={d.pert.length < 2}
                  onClick={() => setD((x) => ({ ...x, pert: x.pert.filter((_, j) => j !== i) }))}>
                  {t('analysis.new.pert.remove', { n: i + 1 })}
                </button>
              </div>
            ))}
            <button type="button" class="secondary"
              onClick={() => setD((x) => ({ ...x, pert: [...x.pert, { sector: sectorOptions[0][0], value: '0.5', from: '', to: '' }] }))}>
              {t('analysis.new.pert.add')}
            </button>
            {d.kind === 'diim' ? (
              <div class="form-grid pert-steps">
                <Field id="job-steps" label={t('analysis.new.steps')} hint={t('analysis.new.steps.hint')} error={fe('steps')}>
                  <input id="job-steps" type="number" min="1" max="100000" step="1" value={d.steps} onInput={input('steps')} />
                </Field>
                <Field id="job-dt" label={t('analysis.new.dt')} hint={t('analysis.new.dt.hint')} error={fe('dt')}>
                  <input id="job-dt" type="number" min="0" step="0.1" value={d.dt} onInput={input('dt')} />
                </Field>
              </div>
            ) : null}
          </fieldset>
        ) : null}

        <Field id="job-advanced" label={t('analysis.new.advanced')} hint={t('analysis.new.advanced.hint')} error={advancedError} wide>
          <textarea id="job-advanced" value={d.advanced} onInput={input('advanced')} rows={4} spellcheck={false}
            class="code" placeholder='{"recovery": {"electricity": 24}}' />
        </Field>

        <details class="preview">
          <summary>{t('analysis.new.preview')}</summary>
          {previewError ? <p class="field-message">{previewError.message}</p> : <pre class="code">{preview}</pre>}
        </details>

        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || (needsModel && !d.model)}>
            {busy ? t('analysis.new.busy') : t('analysis.new.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}

// The server's fields that the form shows beside a control of its own, per kind.
const FORM_FIELDS = {
  run: ['model', 'kind', 'scenario', 'regions', 'trials', 'seed', 'points'],
  sweep: ['model', 'kind', 'points', 'trials', 'layer', 'p_min', 'p_max', 'seed'],
  rank: ['model', 'kind', 'top', 'candidates'],
  iim: ['kind', 'perturbation'],
  diim: ['kind', 'perturbation', 'steps', 'dt'],
};
