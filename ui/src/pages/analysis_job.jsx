// analysis_job.jsx - one analysis job (#/analysis/jobs/ID): followed every
// second while it waits or runs (progress, cancel), then its summary, its
// results drawn from the files the engine wrote (timelines, the propagation
// chain, the ranking, the sweep curve, the sector tables) and every file to
// download.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { download, get, post } from '../api.js';
import { extend, fmtNum, lang, t } from '../i18n.js';
import { href } from '../router.js';
import { csvText, DataTable, ErrorBox, Loading, Notice, PageHeader, Time } from '../ui.jsx';
import {
  StateBadge, fileJson, filePath, fileText, fmtBytes, fmtHours, fmtPct, isActive, modelText, progressPct, sectorName,
  shortId, useSectors,
} from './analysis_common.jsx';
import { EChart, seriesColour, seriesDash } from './analysis_chart.jsx';
import { ChainTree } from './analysis_chain.jsx';

extend({
  ja: {
    'analysis.job.title': '{kind}（{id}）',
    'analysis.job.back': 'ジョブ一覧へ',
    'analysis.job.cancel': 'ジョブを取り消す',
    'analysis.job.cancelling': '取り消しを要求しました。次の進捗報告で停止します。',
    'analysis.job.cancelled': 'このジョブは取り消されました。',
    'analysis.job.failed': 'ジョブは失敗しました',
    'analysis.job.status': '実行状況',
    'analysis.job.details': 'ジョブの内容',
    'analysis.job.summary': '概要',
    'analysis.job.results': '結果',
    'analysis.job.files': 'ファイル',
    'analysis.job.files.caption': 'このジョブが出力したファイル',
    'analysis.job.file.name': 'ファイル名',
    'analysis.job.file.type': '種類',
    'analysis.job.file.size': 'サイズ',
    'analysis.job.file.download': 'ダウンロード',
    'analysis.job.file.download_named': '{name} をダウンロード',
    'analysis.job.results.loading': '結果のファイルを読み込んでいます…',
    'analysis.job.results.toolarge': '{name} は {size} あり、ブラウザでは描画しません。下のファイル一覧からダウンロードしてください。',
    'analysis.job.none': 'ジョブが見つかりません。',
    'analysis.job.refresh': '最新の状態を取得',
    'analysis.sum.kind': '種類',
    'analysis.sum.trials': '試行回数',
    'analysis.sum.seed': '乱数シード',
    'analysis.sum.nodes': 'ノード数',
    'analysis.sum.files': 'ファイル数',
    'analysis.sum.layer': '層',
    'analysis.sum.points': '点数',
    'analysis.sum.seconds': '計算時間（秒）',
    'analysis.sum.candidates': '評価したノード数',
    'analysis.sum.most_critical': '最も重要な施設',
    'analysis.sum.illustrative': '例示用の既定モデル',
    'analysis.sum.spectral_radius': 'A* のスペクトル半径',
    'analysis.sum.steps': 'ステップ数',
    'analysis.sum.dt': '1 ステップの時間',
    'analysis.yes': 'はい',
    'analysis.no': 'いいえ',
    'analysis.run.timeline': '分野別の稼働率の推移',
    'analysis.run.timeline.label': '折れ線グラフ: {scenario} における時間（0〜{h} 時間）ごとの稼働率。系列: {series}',
    'analysis.run.hours_axis': '経過時間（h）',
    'analysis.run.working': '稼働率',
    'analysis.run.failed_nodes': '停止したノード',
    'analysis.run.failed_share': '停止した重みの割合',
    'analysis.run.lowest': '最低の稼働率',
    'analysis.run.lowest_at': '{h} 時点',
    'analysis.run.at_end': '終了時の稼働率',
    'analysis.run.still_down': '終了時も停止中',
    'analysis.run.max_depth': '連鎖の最大の深さ',
    'analysis.run.scenario': 'シナリオ',
    'analysis.run.horizon': '期間',
    'analysis.run.events': 'シナリオの事象',
    'analysis.run.event': '事象',
    'analysis.run.event.start': '開始',
    'analysis.run.event.duration': '継続',
    'analysis.run.event.fraction': '割合',
    'analysis.run.event.nodes': '対象ノード',
    'analysis.run.sectors': '分野別の影響',
    'analysis.run.layers': '障害のあった層',
    'analysis.run.layer': '層',
    'analysis.run.nodes': 'ノード',
    'analysis.run.failed': '停止',
    'analysis.run.first_impact': '最初の影響',
    'analysis.run.lowest_fraction': '最低稼働率',
    'analysis.run.when': '時点',
    'analysis.run.chain': '波及の連鎖',
    'analysis.mc.title': 'モンテカルロ（{n} 回）',
    'analysis.mc.timeline': '平均稼働率の推移（全体は 5〜95 パーセンタイルつき）',
    'analysis.mc.mean_failed': '試行あたり平均停止ノード',
    'analysis.mc.ever_failed': '一度でも停止したノード',
    'analysis.mc.lowest': '平均稼働率の最低値',
    'analysis.mc.at_end': '終了時の平均稼働率',
    'analysis.mc.p5_end': '終了時の稼働率（5 パーセンタイル）',
    'analysis.mc.p5': '全体（5 パーセンタイル）',
    'analysis.mc.p95': '全体（95 パーセンタイル）',
    'analysis.mc.impact_probability': '影響を受ける確率',
    'analysis.mc.mean_first': '最初の影響（平均）',
    'analysis.mc.likely': '停止しやすいノード',
    'analysis.mc.probability': '停止確率',
    'analysis.node.id': 'ノード ID',
    'analysis.node.name': '名称',
    'analysis.sweep.curve': '残す割合と稼働率',
    'analysis.sweep.label': '折れ線グラフ: 対象ノードのうち残す割合 p と稼働率。系列: {series}',
    'analysis.sweep.p_axis': '残す割合 p',
    'analysis.sweep.mean': '全体（平均）',
    'analysis.sweep.min': '全体（最小）',
    'analysis.sweep.max': '全体（最大）',
    'analysis.sweep.weighted': '重み付きの稼働率（平均）',
    'analysis.sweep.family': '{name} 層（平均）',
    'analysis.sweep.targets': '対象ノード',
    'analysis.sweep.order': '除去の順序',
    'analysis.sweep.points': '各点の結果',
    'analysis.sweep.p': 'p',
    'analysis.sweep.kept': '残したノード',
    'analysis.sweep.sd': '標準偏差',
    'analysis.sweep.rounds': 'ラウンド（平均）',
    'analysis.rank.chart': '重要度ランキング（上位 {n}）',
    'analysis.rank.label': '横棒グラフ: 一つ失ったときの被害が大きい施設の上位 {n} 件。1 位は {first}',
    'analysis.rank.damage': '被害（重み）',
    'analysis.rank.share': '全体の重みに占める割合',
    'analysis.rank.rank': '順位',
    'analysis.rank.operator': '事業者',
    'analysis.rank.region': '地域',
    'analysis.rank.kind': '種別',
    'analysis.rank.total_weight': '重みの合計',
    'analysis.rank.exhaustive': '全ノードを評価',
    'analysis.rank.table': '上位の施設',
    'analysis.iim.chart': '分野別の停止率（均衡）',
    'analysis.iim.label': '横棒グラフ: 分野ごとの直接の外乱 c* と均衡での停止率 q。分野: {series}',
    'analysis.iim.c': '外乱 c*',
    'analysis.iim.q': '停止率 q',
    'analysis.iim.saturated': '飽和',
    'analysis.iim.loss': '損失',
    'analysis.iim.total_loss': '損失の合計',
    'analysis.iim.table': '分野別の結果',
    'analysis.iim.illustrative': '例示用の既定行列の結果です（手法の説明用で、統計ではありません）。',
    'analysis.iim.unit': '損失の単位: {unit}',
    'analysis.diim.chart': '分野別の停止率の推移',
    'analysis.diim.label': '折れ線グラフ: 分野ごとの停止率 q(t)、0〜{h} 時間。系列: {series}',
    'analysis.diim.inoperability': '停止率 q',
    'analysis.diim.k': '回復力 k（1/h）',
    'analysis.diim.q0': '初期値 q0',
    'analysis.diim.peak': 'ピーク',
    'analysis.diim.peak_hour': 'ピーク時刻',
    'analysis.diim.q_end': '終了時',
    'analysis.diim.impact': '累積影響（時間）',
  },
  en: {
    'analysis.job.title': '{kind} ({id})',
    'analysis.job.back': 'Back to the jobs',
    'analysis.job.cancel': 'Cancel the job',
    'analysis.job.cancelling': 'Cancellation requested: the job stops at its next progress report.',
    'analysis.job.cancelled': 'This job was cancelled.',
    'analysis.job.failed': 'The job failed',
    'analysis.job.status': 'Status',
    'analysis.job.details': 'The job',
    'analysis.job.summary': 'Summary',
    'analysis.job.results': 'Results',
    'analysis.job.files': 'Files',
    'analysis.job.files.caption': 'The files this job wrote',
    'analysis.job.file.name': 'File',
    'analysis.job.file.type': 'Type',
    'analysis.job.file.size': 'Size',
    'analysis.job.file.download': 'Download',
    'analysis.job.file.download_named': 'Download {name}',
    'analysis.job.results.loading': 'Loading the result files…',
    'analysis.job.results.toolarge': '{name} is {size}, too large to draw in the browser. Download it from the files below.',
    'analysis.job.none': 'No such job.',
    'analysis.job.refresh': 'Refresh',
    'analysis.sum.kind': 'Kind',
    'analysis.sum.trials': 'Trials',
    'analysis.sum.seed': 'Seed',
    'analysis.sum.nodes': 'Nodes',
    'analysis.sum.files': 'Files',
    'analysis.sum.layer': 'Layer',
    'analysis.sum.points': 'Points',
    'analysis.sum.seconds': 'Computing time (s)',
    'analysis.sum.candidates': 'Nodes ranked',
    'analysis.sum.most_critical': 'Most critical facility',
    'analysis.sum.illustrative': 'Illustrative default model',
    'analysis.sum.spectral_radius': 'Spectral radius of A*',
    'analysis.sum.steps': 'Steps',
    'analysis.sum.dt': 'Hours per step',
    'analysis.yes': 'Yes',
    'analysis.no': 'No',
    'analysis.run.timeline': 'Working fraction per sector over time',
    'analysis.run.timeline.label': 'Line chart: the working fraction over time (0 to {h} hours) in {scenario}. Series: {series}',
    'analysis.run.hours_axis': 'Hours',
    'analysis.run.working': 'Working fraction',
    'analysis.run.failed_nodes': 'Nodes that went down',
    'analysis.run.failed_share': 'Share of the weight lost',
    'analysis.run.lowest': 'Lowest working fraction',
    'analysis.run.lowest_at': 'at {h}',
    'analysis.run.at_end': 'Working fraction at the end',
    'analysis.run.still_down': 'Still down at the end',
    'analysis.run.max_depth': 'Deepest chain',
    'analysis.run.scenario': 'Scenario',
    'analysis.run.horizon': 'Horizon',
    'analysis.run.events': 'Events of the scenario',
    'analysis.run.event': 'Event',
    'analysis.run.event.start': 'Start',
    'analysis.run.event.duration': 'Duration',
    'analysis.run.event.fraction': 'Fraction',
    'analysis.run.event.nodes': 'Nodes hit',
    'analysis.run.sectors': 'Impact per sector',
    'analysis.run.layers': 'Layers with failures',
    'analysis.run.layer': 'Layer',
    'analysis.run.nodes': 'Nodes',
    'analysis.run.failed': 'Down',
    'analysis.run.first_impact': 'First impact',
    'analysis.run.lowest_fraction': 'Lowest fraction',
    'analysis.run.when': 'When',
    'analysis.run.chain': 'Propagation chain',
    'analysis.mc.title': 'Monte Carlo ({n} trials)',
    'analysis.mc.timeline': 'Mean working fraction over time (the whole model with its 5th and 95th percentiles)',
    'analysis.mc.mean_failed': 'Nodes down per trial (mean)',
    'analysis.mc.ever_failed': 'Nodes down in any trial',
    'analysis.mc.lowest': 'Lowest mean working fraction',
    'analysis.mc.at_end': 'Mean working fraction at the end',
    'analysis.mc.p5_end': 'Working fraction at the end (5th percentile)',
    'analysis.mc.p5': 'Whole model (5th percentile)',
    'analysis.mc.p95': 'Whole model (95th percentile)',
    'analysis.mc.impact_probability': 'Probability of impact',
    'analysis.mc.mean_first': 'First impact (mean)',
    'analysis.mc.likely': 'Nodes most likely to fail',
    'analysis.mc.probability': 'Probability of failing',
    'analysis.node.id': 'Node ID',
    'analysis.node.name': 'Name',
    'analysis.sweep.curve': 'Share kept and working fraction',
    'analysis.sweep.label': 'Line chart: the share p of the target nodes kept against the working fraction. Series: {series}',
    'analysis.sweep.p_axis': 'Share kept p',
    'analysis.sweep.mean': 'Whole model (mean)',
    'analysis.sweep.min': 'Whole model (minimum)',
    'analysis.sweep.max': 'Whole model (maximum)',
    'analysis.sweep.weighted': 'Weighted working fraction (mean)',
    'analysis.sweep.family': '{name} layers (mean)',
    'analysis.sweep.targets': 'Target nodes',
    'analysis.sweep.order': 'Removal order',
    'analysis.sweep.points': 'Each point',
    'analysis.sweep.p': 'p',
    'analysis.sweep.kept': 'Nodes kept',
    'analysis.sweep.sd': 'Std. deviation',
    'analysis.sweep.rounds': 'Rounds (mean)',
    'analysis.rank.chart': 'Criticality ranking (top {n})',
    'analysis.rank.label': 'Bar chart: the {n} facilities whose loss alone does the most damage. First: {first}',
    'analysis.rank.damage': 'Damage (weight)',
    'analysis.rank.share': 'Share of the total weight',
    'analysis.rank.rank': 'Rank',
    'analysis.rank.operator': 'Operator',
    'analysis.rank.region': 'Region',
    'analysis.rank.kind': 'Kind',
    'analysis.rank.total_weight': 'Total weight',
    'analysis.rank.exhaustive': 'Every node ranked',
    'analysis.rank.table': 'The first facilities',
    'analysis.iim.chart': 'Inoperability per sector (equilibrium)',
    'analysis.iim.label': 'Bar chart: each sector\'s direct perturbation c* and its inoperability q at equilibrium. Sectors: {series}',
    'analysis.iim.c': 'Perturbation c*',
    'analysis.iim.q': 'Inoperability q',
    'analysis.iim.saturated': 'Saturated',
    'analysis.iim.loss': 'Loss',
    'analysis.iim.total_loss': 'Total loss',
    'analysis.iim.table': 'Per sector',
    'analysis.iim.illustrative': 'Results of the illustrative default matrix (they show the method; they are not statistics).',
    'analysis.iim.unit': 'Loss in {unit}',
    'analysis.diim.chart': 'Inoperability per sector over time',
    'analysis.diim.label': 'Line chart: each sector\'s inoperability q(t), 0 to {h} hours. Series: {series}',
    'analysis.diim.inoperability': 'Inoperability q',
    'analysis.diim.k': 'Resilience k (1/h)',
    'analysis.diim.q0': 'Initial q0',
    'analysis.diim.peak': 'Peak',
    'analysis.diim.peak_hour': 'Peak hour',
    'analysis.diim.q_end': 'At the end',
    'analysis.diim.impact': 'Cumulative impact (h)',
  },
});

// Jobs just submitted, shown at once while the first poll is on its way.
const known = new Map();
export function rememberJob(job) {
  known.set(job.id, job);
}

// ---- following a job ----

function useJob(id) {
  const [job, setJob] = useState(() => known.get(id) || null);
  const [error, setError] = useState(null);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let stop = false;
    let timer;
    const tick = async () => {
      try {
        const j = await get('/analysis/jobs/' + encodeURIComponent(id));
        if (stop) return;
        setJob(j);
        setError(null);
        if (isActive(j)) timer = setTimeout(tick, 1000);
      } catch (e) {
        if (stop) return;
        setError(e);
        // a network hiccup: try again; a refusal: stop
        if (!e.status || e.status >= 500) timer = setTimeout(tick, 3000);
      }
    };
    tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [id, nonce]);
  return { job, error, refresh: () => setNonce((n) => n + 1) };
}

export function JobView({ me, id, tabs }) {
  const { job, error, refresh } = useJob(id);
  const [cancelError, setCancelError] = useState(null);
  const [busy, setBusy] = useState(false);
  const kind = job ? t('analysis.kind.' + job.kind) : t('analysis.jobs.title');
  const cancel = async () => {
    setBusy(true);
    setCancelError(null);
    try {
      await post('/analysis/jobs/' + encodeURIComponent(id) + '/cancel');
      refresh();
    } catch (e) {
      setCancelError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="analysis analysis-job">
      <PageHeader title={t('analysis.job.title', { kind, id: shortId(id) })}>
        <a class="button secondary" href={href('/analysis/jobs')}>{t('analysis.job.back')}</a>
      </PageHeader>
      {tabs}
      {error && !job ? <ErrorBox error={error} /> : null}
      {!job && !error ? <Loading /> : null}
      {job ? (
        <div>
          <div class="job-top">
            <section class="panel job-status" aria-labelledby="job-status-title">
              <h2 id="job-status-title">{t('analysis.job.status')}</h2>
              <p class="job-state" aria-live="polite">
                {t('analysis.state')}: <StateBadge state={job.state} />
                {job.cancel_requested && isActive(job) ? <span class="muted"> {t('analysis.job.cancelling')}</span> : null}
              </p>
              {isActive(job) ? <Progress job={job} /> : null}
              {isActive(job) && job.org === me.org ? (
                <div class="form-actions">
                  <button type="button" class="danger" onClick={cancel} disabled={busy || job.cancel_requested}>
                    {t('analysis.job.cancel')}
                  </button>
                </div>
              ) : null}
              <ErrorBox error={cancelError} />
              {error ? <ErrorBox error={error} /> : null}
              {job.state === 'failed' ? (
                <div class="error" role="alert"><strong>{t('analysis.job.failed')}:</strong> {job.error}</div>
              ) : null}
              {job.state === 'cancelled' ? <Notice kind="warn">{t('analysis.job.cancelled')}</Notice> : null}
              <JobDetails job={job} />
            </section>
            {job.state === 'done' && job.summary ? <Summary summary={job.summary} /> : null}
          </div>
          {job.state === 'done' ? <Results key={job.id} job={job} /> : null}
          {job.files && job.files.length ? <Files job={job} /> : null}
        </div>
      ) : null}
    </div>
  );
}

function Progress({ job }) {
  const p = job.progress || { done: 0, total: 0 };
  const queued = job.state === 'queued' || !p.total;
  const pct = progressPct(p);
  return (
    <div class="job-progress">
      <label for="job-progress">{t('analysis.progress')}</label>
      {queued ? (
        <progress id="job-progress" class="progress" aria-describedby="job-progress-text" />
      ) : (
        <progress id="job-progress" class="progress" max={p.total} value={p.done} aria-describedby="job-progress-text" />
      )}
      <span id="job-progress-text" class="muted">
        {job.state === 'queued' ? t('analysis.progress.queued')
          : t('analysis.progress.of', { done: fmtNum(p.done, 0), total: fmtNum(p.total, 0), pct })}
      </span>
    </div>
  );
}

function JobDetails({ job }) {
  return (
    <details class="job-details">
      <summary>{t('analysis.job.details')}</summary>
      <dl class="props">
        <dt>{t('analysis.kind')}</dt><dd>{t('analysis.kind.' + job.kind)} <code>{job.kind}</code></dd>
        <dt>{t('analysis.model')}</dt>
        <dd>{job.model ? <a href={href('/analysis/models/' + job.model)}>{modelText(job)}</a> : modelText(job)}</dd>
        <dt>{t('analysis.options')}</dt><dd><pre class="code">{JSON.stringify(job.options || {}, null, 2)}</pre></dd>
        <dt>{t('analysis.org')}</dt><dd>{job.org}</dd>
        <dt>{t('analysis.created_by')}</dt><dd>{job.created_by}</dd>
        <dt>{t('analysis.created_at')}</dt><dd><Time v={job.created_at} /></dd>
        <dt>{t('analysis.started_at')}</dt><dd><Time v={job.started_at} /></dd>
        <dt>{t('analysis.finished_at')}</dt><dd><Time v={job.finished_at} /></dd>
        <dt>{t('analysis.id')}</dt><dd><code>{job.id}</code></dd>
      </dl>
    </details>
  );
}

function summaryValue(k, v) {
  if (v === null || v === undefined) return '—';
  if (k === 'kind') return t('analysis.kind.' + v);
  if (typeof v === 'boolean') return v ? t('analysis.yes') : t('analysis.no');
  if (typeof v === 'number') return fmtNum(v, k === 'seconds' ? 3 : 4);
  if (k === 'spectral_radius' && typeof v === 'object') return `${fmtNum(v.lower, 4)} – ${fmtNum(v.upper, 4)}`;
  if (k === 'most_critical' && typeof v === 'object')
    return `${v.id} (${t('analysis.rank.damage')} ${fmtNum(v.damage, 0)}, ${t('analysis.run.failed')} ${fmtNum(v.failed, 0)})`;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function Summary({ summary }) {
  const label = (k) => {
    const key = 'analysis.sum.' + k;
    const s = t(key);
    return s === key ? k : s;
  };
  return (
    <section class="panel" aria-labelledby="job-summary-title">
      <h2 id="job-summary-title">{t('analysis.job.summary')}</h2>
      <dl class="props">
        {Object.entries(summary).map(([k, v]) => [<dt key={k + 'k'}>{label(k)}</dt>, <dd key={k + 'v'}>{summaryValue(k, v)}</dd>])}
      </dl>
    </section>
  );
}

function Files({ job }) {
  const [error, setError] = useState(null);
  const save = async (f) => {
    setError(null);
    try {
      await download(filePath(job.id, f.name), f.name);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="panel" aria-labelledby="job-files-title">
      <h2 id="job-files-title">{t('analysis.job.files')}</h2>
      <ErrorBox error={error} />
      <div class="table-scroll">
        <table class="job-files">
          <caption class="sr-only">{t('analysis.job.files.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('analysis.job.file.name')}</th>
              <th scope="col">{t('analysis.job.file.type')}</th>
              <th scope="col" class="num">{t('analysis.job.file.size')}</th>
              <th scope="col"><span class="sr-only">{t('analysis.job.file.download')}</span></th>
            </tr>
          </thead>
          <tbody>
            {job.files.map((f) => (
              <tr key={f.name}>
                <td><code>{f.name}</code></td>
                <td>{f.type}</td>
                <td class="num">{fmtBytes(f.size)}</td>
                <td>
                  <a class="button secondary small" href={'/api/v1' + filePath(job.id, f.name)} download={f.name}
                    onClick={(e) => { e.preventDefault(); save(f); }}
                    aria-label={t('analysis.job.file.download_named', { name: f.name })}>
                    {t('analysis.job.file.download')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ---- the results ----

const DRAW_MAX = 64 * 1024 * 1024; // bytes of a file drawn in the browser

// Load the named files of job (those it has); JSON parsed, the rest as text.
function useJobFiles(job, names) {
  const [state, setState] = useState({ files: null, error: null, tooLarge: null });
  useEffect(() => {
    let live = true;
    const have = new Map((job.files || []).map((f) => [f.name, f]));
    const wanted = names.filter((n) => have.has(n));
    const big = wanted.find((n) => have.get(n).size > DRAW_MAX);
    if (big) {
      setState({ files: null, error: null, tooLarge: have.get(big) });
      return undefined;
    }
    Promise.all(wanted.map((n) => (n.endsWith('.json') ? fileJson(job.id, n) : fileText(job.id, n))))
      .then((vals) => {
        if (!live) return;
        const files = {};
        wanted.forEach((n, i) => { files[n] = vals[i]; });
        setState({ files, error: null, tooLarge: null });
      })
      .catch((error) => { if (live) setState({ files: null, error, tooLarge: null }); });
    return () => { live = false; };
  }, [job.id]);
  return state;
}

function Results({ job }) {
  const names = {
    run: ['result.json', 'timeline.csv', 'chain.json'],
    sweep: ['sweep.json'],
    rank: ['rank.json'],
    iim: ['result.json'],
    diim: ['result.json'],
  }[job.kind] || [];
  const { files, error, tooLarge } = useJobFiles(job, names);
  const sectors = useSectors();
  let body;
  if (tooLarge) body = <Notice kind="warn">{t('analysis.job.results.toolarge', { name: tooLarge.name, size: fmtBytes(tooLarge.size) })}</Notice>;
  else if (error) body = <ErrorBox error={error} />;
  else if (!files) body = <p class="loading" role="status">{t('analysis.job.results.loading')}</p>;
  else if (job.kind === 'run' && files['result.json'] && files['result.json'].kind === 'monte-carlo')
    body = <MonteCarlo result={files['result.json']} timeline={files['timeline.csv']} sectors={sectors} />;
  else if (job.kind === 'run' && files['result.json'])
    body = <RunResult result={files['result.json']} timeline={files['timeline.csv']} chain={files['chain.json']} sectors={sectors} />;
  else if (job.kind === 'sweep' && files['sweep.json']) body = <SweepResult sweep={files['sweep.json']} />;
  else if (job.kind === 'rank' && files['rank.json']) body = <RankResult rank={files['rank.json']} sectors={sectors} />;
  else if (job.kind === 'iim' && files['result.json']) body = <IimResult result={files['result.json']} sectors={sectors} />;
  else if (job.kind === 'diim' && files['result.json']) body = <DiimResult result={files['result.json']} sectors={sectors} />;
  else body = null;
  return (
    <section class="panel results" aria-labelledby="job-results-title">
      <h2 id="job-results-title">{t('analysis.job.results')}</h2>
      {body}
    </section>
  );
}

// One line of CSV into its fields (quotes as RFC 4180).
function csvFields(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) { s += line.slice(i); i = line.length; break; }
        s += line.slice(i, q);
        if (line[q + 1] === '"') { s += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      out.push(s);
      i = line.indexOf(',', i);
      if (i < 0) break;
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) { out.push(line.slice(i)); break; }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
  return out;
}

// The columns named in wanted of a numeric CSV (header row first): {x: [],
// cols: {name: []}}; only the fields up to the last wanted one are read
// from each row.
export function readColumns(text, xName, wanted) {
  const nl = text.indexOf('\n');
  const header = csvFields(text.slice(0, nl < 0 ? text.length : nl).replace(/\r$/, '').replace(/^\ufeff/, ''))
    .map(csvText);
  const xi = header.indexOf(xName);
  const idx = wanted.map((w) => header.indexOf(w));
  const last = Math.max(xi, ...idx);
  const x = [];
  const cols = wanted.map(() => []);
  let pos = nl < 0 ? text.length : nl + 1;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (end > pos) {
      const fields = [];
      let s = pos;
      for (let k = 0; k <= last; k++) {
        let c = text.indexOf(',', s);
        if (c < 0 || c > end) c = end;
        fields.push(text.slice(s, c));
        if (c >= end) break;
        s = c + 1;
      }
      x.push(Number(fields[xi]));
      idx.forEach((i, k) => {
        const v = i >= 0 && fields[i] !== undefined && fields[i] !== '' ? Number(fields[i]) : null;
        cols[k].push(v);
      });
    }
    pos = end + 1;
  }
  const out = {};
  wanted.forEach((w, k) => { if (idx[k] >= 0) out[w] = cols[k]; });
  return { x, cols: out };
}

function pctAxis(min) {
  const lo = Math.max(0, Math.floor((Number.isFinite(min) ? min : 0) * 10) / 10 - 0.05);
  return {
    type: 'value',
    min: Math.max(0, Math.floor(lo * 10) / 10),
    max: 1,
    name: t('analysis.run.working'),
    nameTextStyle: { align: 'left' },
    axisLabel: { formatter: (v) => Math.round(v * 100) + '%' },
  };
}

// A line chart of series [{name, data (y per x), width, colour, dash}] over x.
function linesOption({ x, series, xName, xMax, yAxis, step, pct = true, interval }) {
  return {
    color: series.map((s) => s.colour),
    grid: { left: 64, right: 28, top: 64, bottom: 78 },
    legend: { type: 'scroll', top: 4, left: 8, right: 8, data: series.map((s) => s.name) },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (v === null || v === undefined ? '—' : pct ? fmtPct(v, 1) : fmtNum(v, 3)),
    },
    xAxis: {
      type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, min: x.length ? x[0] : 0,
      max: xMax ?? (x.length ? x[x.length - 1] : 1), interval,
      axisLabel: { formatter: (v) => fmtNum(v, 2) },
    },
    yAxis,
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 18, bottom: 8 },
    ],
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      step: step ? 'end' : false,
      showSymbol: false,
      symbol: 'none',
      lineStyle: { width: s.width || 1.6, type: s.dash || 'solid', color: s.colour },
      itemStyle: { color: s.colour },
      data: x.map((xv, i) => [xv, s.data[i]]),
      emphasis: { focus: 'series' },
    })),
  };
}

function minOf(arrays) {
  let m = Infinity;
  for (const a of arrays) for (const v of a) if (v !== null && v < m) m = v;
  return m;
}

function hourInterval(h) {
  if (h >= 24 * 20) return undefined;
  if (h >= 96) return 24;
  if (h >= 36) return 12;
  return undefined;
}

function Cards({ items }) {
  return (
    <div class="cards result-cards">
      {items.map(([label, value, sub]) => (
        <div class="card" key={label}>
          <div class="muted">{label}</div>
          <div class="big">{value}</div>
          {sub ? <div class="muted">{sub}</div> : null}
        </div>
      ))}
    </div>
  );
}

function EventsTable({ events }) {
  if (!events || !events.length) return null;
  const columns = [
    { key: 'label', label: t('analysis.run.event') },
    { key: 'start_hours', label: t('analysis.run.event.start'), num: true, render: (e) => fmtHours(e.start_hours) },
    { key: 'duration_hours', label: t('analysis.run.event.duration'), num: true, render: (e) => (e.duration_hours === null || e.duration_hours === undefined ? '—' : fmtHours(e.duration_hours)) },
    { key: 'fraction', label: t('analysis.run.event.fraction'), num: true, render: (e) => fmtPct(e.fraction, 0) },
    { key: 'nodes', label: t('analysis.run.event.nodes'), num: true, render: (e) => fmtNum(e.nodes, 0) },
  ];
  return (
    <details class="result-block">
      <summary><h3 class="inline">{t('analysis.run.events')} ({events.length})</h3></summary>
      <DataTable columns={columns} rows={events} rowKey="label" filter={false} csv="events.csv" />
    </details>
  );
}

function RunResult({ result, timeline, chain, sectors }) {
  const ids = (result.sectors || []).map((s) => s.sector);
  const l = lang();
  const { option, names } = useMemo(() => {
    const data = timeline ? readColumns(timeline, 'hours', ['all', ...ids]) : { x: [], cols: {} };
    const series = [{ name: t('analysis.all'), data: data.cols.all || [], colour: '#1b1f24', width: 2.6 }];
    ids.forEach((id, i) => {
      if (data.cols[id]) series.push({ name: sectorName(sectors, id), data: data.cols[id], colour: seriesColour(i), dash: seriesDash(i) });
    });
    const opt = linesOption({
      x: data.x, series, xName: t('analysis.run.hours_axis'), xMax: result.horizon_hours, step: true,
      yAxis: pctAxis(minOf(series.map((s) => s.data))), interval: hourInterval(result.horizon_hours),
    });
    return { option: opt, names: series.map((s) => s.name) };
  }, [result, timeline, sectors, l]);
  const sectorColumns = [
    { key: 'sector', label: t('analysis.sector'), value: (s) => sectorName(sectors, s.sector) },
    { key: 'nodes', label: t('analysis.run.nodes'), num: true, render: (s) => fmtNum(s.nodes, 0) },
    { key: 'failed', label: t('analysis.run.failed'), num: true, render: (s) => fmtNum(s.failed, 0) },
    { key: 'first_impact_hours', label: t('analysis.run.first_impact'), num: true, render: (s) => fmtHours(s.first_impact_hours) },
    { key: 'lowest_working_fraction', label: t('analysis.run.lowest_fraction'), num: true, render: (s) => fmtPct(s.lowest_working_fraction) },
    { key: 'lowest_at_hours', label: t('analysis.run.when'), num: true, render: (s) => fmtHours(s.lowest_at_hours) },
  ];
  const layerColumns = [
    { key: 'layer', label: t('analysis.run.layer') },
    ...sectorColumns.slice(1),
  ];
  return (
    <div>
      <dl class="props result-head">
        <dt>{t('analysis.run.scenario')}</dt><dd>{result.scenario}</dd>
        <dt>{t('analysis.run.horizon')}</dt><dd>{fmtHours(result.horizon_hours)}</dd>
      </dl>
      <Cards items={[
        [t('analysis.run.failed_nodes'), fmtNum(result.failed_nodes, 0), `/ ${fmtNum(result.model && result.model.nodes, 0)}`],
        [t('analysis.run.failed_share'), fmtPct(result.failed_weight_share)],
        [t('analysis.run.lowest'), fmtPct(result.lowest_working_fraction), t('analysis.run.lowest_at', { h: fmtHours(result.lowest_at_hours) })],
        [t('analysis.run.at_end'), fmtPct(result.working_fraction_at_end)],
        [t('analysis.run.still_down'), fmtNum(result.still_down_at_end, 0)],
        [t('analysis.run.max_depth'), fmtNum(result.max_depth, 0)],
      ]} />
      <h3 id="run-timeline-title">{t('analysis.run.timeline')}</h3>
      <EChart id="run-timeline" option={option} series={names} height={440}
        label={t('analysis.run.timeline.label', { scenario: result.scenario, h: fmtNum(result.horizon_hours, 0), series: names.join(', ') })} />
      <EventsTable events={result.events} />
      <h3>{t('analysis.run.sectors')}</h3>
      <DataTable id="run-sectors" columns={sectorColumns} rows={result.sectors || []} rowKey="sector" filter={false} csv="sectors.csv" />
      {result.layers && result.layers.length ? (
        <details class="result-block">
          <summary><h3 class="inline">{t('analysis.run.layers')} ({result.layers.length})</h3></summary>
          <DataTable columns={layerColumns} rows={result.layers} rowKey="layer" csv="layers.csv" />
        </details>
      ) : null}
      {chain ? (
        <div>
          <h3 id="run-chain-title">{t('analysis.run.chain')}</h3>
          <ChainTree chain={chain} sectors={sectors} />
        </div>
      ) : null}
    </div>
  );
}

function MonteCarlo({ result, timeline, sectors }) {
  const ids = (result.sectors || []).map((s) => s.sector);
  const l = lang();
  const { option, names } = useMemo(() => {
    const cols = ['all mean', 'all p5', 'all p95', ...ids.map((id) => id + ' mean')];
    const data = timeline ? readColumns(timeline, 'hours', cols) : { x: [], cols: {} };
    const series = [
      { name: t('analysis.all'), data: data.cols['all mean'] || [], colour: '#1b1f24', width: 2.6 },
      { name: t('analysis.mc.p5'), data: data.cols['all p5'] || [], colour: '#6b6b6b', dash: 'dotted', width: 1.2 },
      { name: t('analysis.mc.p95'), data: data.cols['all p95'] || [], colour: '#6b6b6b', dash: 'dashed', width: 1.2 },
    ];
    ids.forEach((id, i) => {
      const d = data.cols[id + ' mean'];
      if (d) series.push({ name: sectorName(sectors, id), data: d, colour: seriesColour(i), dash: seriesDash(i) });
    });
    const opt = linesOption({
      x: data.x, series, xName: t('analysis.run.hours_axis'), xMax: result.horizon_hours,
      yAxis: pctAxis(minOf(series.map((s) => s.data))), interval: hourInterval(result.horizon_hours),
    });
    return { option: opt, names: series.map((s) => s.name) };
  }, [result, timeline, sectors, l]);
  const sectorColumns = [
    { key: 'sector', label: t('analysis.sector'), value: (s) => sectorName(sectors, s.sector) },
    { key: 'impact_probability', label: t('analysis.mc.impact_probability'), num: true, render: (s) => fmtPct(s.impact_probability) },
    { key: 'mean_first_impact_hours', label: t('analysis.mc.mean_first'), num: true, render: (s) => fmtHours(s.mean_first_impact_hours) },
    { key: 'lowest_mean_working_fraction', label: t('analysis.run.lowest_fraction'), num: true, render: (s) => fmtPct(s.lowest_mean_working_fraction) },
    { key: 'lowest_at_hours', label: t('analysis.run.when'), num: true, render: (s) => fmtHours(s.lowest_at_hours) },
  ];
  const likelyColumns = [
    { key: 'id', label: t('analysis.node.id'), render: (n) => <code>{n.id}</code> },
    { key: 'sector', label: t('analysis.sector'), value: (n) => sectorName(sectors, n.sector) },
    { key: 'failure_probability', label: t('analysis.mc.probability'), num: true, render: (n) => fmtPct(n.failure_probability) },
  ];
  return (
    <div>
      <h3 class="result-kind">{t('analysis.mc.title', { n: fmtNum(result.trials, 0) })}</h3>
      <dl class="props result-head">
        <dt>{t('analysis.run.scenario')}</dt><dd>{result.scenario}</dd>
        <dt>{t('analysis.run.horizon')}</dt><dd>{fmtHours(result.horizon_hours)}</dd>
      </dl>
      <Cards items={[
        [t('analysis.mc.mean_failed'), fmtNum(result.mean_failed_nodes, 1)],
        [t('analysis.mc.ever_failed'), fmtNum(result.nodes_ever_failed, 0)],
        [t('analysis.mc.lowest'), fmtPct(result.lowest_mean_working_fraction), t('analysis.run.lowest_at', { h: fmtHours(result.lowest_at_hours) })],
        [t('analysis.mc.at_end'), fmtPct(result.mean_working_fraction_at_end)],
        [t('analysis.mc.p5_end'), fmtPct(result.p5_working_fraction_at_end)],
      ]} />
      <h3>{t('analysis.mc.timeline')}</h3>
      <EChart id="run-timeline" option={option} series={names} height={440}
        label={t('analysis.run.timeline.label', { scenario: result.scenario, h: fmtNum(result.horizon_hours, 0), series: names.join(', ') })} />
      <h3>{t('analysis.run.sectors')}</h3>
      <DataTable id="run-sectors" columns={sectorColumns} rows={result.sectors || []} rowKey="sector" filter={false} csv="sectors.csv" />
      <h3>{t('analysis.mc.likely')}</h3>
      <DataTable columns={likelyColumns} rows={result.most_likely_to_fail || []} csv="most-likely-to-fail.csv" />
    </div>
  );
}

function SweepResult({ sweep }) {
  const l = lang();
  const points = sweep.points || [];
  const { option, names } = useMemo(() => {
    const x = points.map((p) => p.p);
    const series = [
      { name: t('analysis.sweep.mean'), data: points.map((p) => p.working && p.working.mean), colour: '#1b1f24', width: 2.6 },
      { name: t('analysis.sweep.min'), data: points.map((p) => p.working && p.working.min), colour: '#6b6b6b', dash: 'dotted', width: 1.2 },
      { name: t('analysis.sweep.max'), data: points.map((p) => p.working && p.working.max), colour: '#6b6b6b', dash: 'dashed', width: 1.2 },
      { name: t('analysis.sweep.weighted'), data: points.map((p) => p.weighted && p.weighted.mean), colour: '#882255', width: 2 },
    ];
    // each layer, or beyond eight layers each family (the name before '/')
    const layerNames = points.length && points[0].layers ? Object.keys(points[0].layers) : [];
    const groups = new Map();
    for (const name of layerNames) {
      const fam = layerNames.length > 8 ? name.split('/')[0] : name;
      if (!groups.has(fam)) groups.set(fam, []);
      groups.get(fam).push(name);
    }
    let i = 0;
    for (const [fam, members] of groups) {
      const data = points.map((p) => {
        let sum = 0;
        for (const m of members) sum += (p.layers[m] && p.layers[m].mean) || 0;
        return sum / members.length;
      });
      series.push({
        name: layerNames.length > 8 ? t('analysis.sweep.family', { name: fam }) : fam,
        data, colour: seriesColour(i + 1), dash: seriesDash(i + 1),
      });
      i++;
    }
    const opt = linesOption({
      x, series, xName: t('analysis.sweep.p_axis'), yAxis: pctAxis(0),
    });
    opt.xAxis.min = sweep.points.length ? Math.min(...x) : 0;
    opt.xAxis.max = sweep.points.length ? Math.max(...x) : 1;
    opt.series.forEach((s) => { s.showSymbol = points.length <= 60; s.symbol = 'circle'; s.symbolSize = 4; });
    return { option: opt, names: series.map((s) => s.name) };
  }, [sweep, l]);
  const columns = [
    { key: 'p', label: t('analysis.sweep.p'), num: true, render: (p) => fmtNum(p.p, 3) },
    { key: 'kept', label: t('analysis.sweep.kept'), num: true, render: (p) => fmtNum(p.kept, 0) },
    { key: 'mean', label: t('analysis.sweep.mean'), num: true, value: (p) => p.working.mean, render: (p) => fmtPct(p.working.mean) },
    { key: 'sd', label: t('analysis.sweep.sd'), num: true, value: (p) => p.working.sd, render: (p) => fmtNum(p.working.sd, 4) },
    { key: 'min', label: t('analysis.sweep.min'), num: true, value: (p) => p.working.min, render: (p) => fmtPct(p.working.min) },
    { key: 'max', label: t('analysis.sweep.max'), num: true, value: (p) => p.working.max, render: (p) => fmtPct(p.working.max) },
    { key: 'weighted', label: t('analysis.sweep.weighted'), num: true, value: (p) => p.weighted && p.weighted.mean, render: (p) => fmtPct(p.weighted && Math.max(0, p.weighted.mean)) },
    { key: 'rounds', label: t('analysis.sweep.rounds'), num: true, render: (p) => fmtNum(p.rounds, 1) },
  ];
  return (
    <div>
      <dl class="props result-head">
        <dt>{t('analysis.sum.layer')}</dt><dd>{sweep.layer || '—'}</dd>
        <dt>{t('analysis.sweep.targets')}</dt><dd>{fmtNum(sweep.targets, 0)} / {fmtNum(sweep.nodes, 0)}</dd>
        <dt>{t('analysis.sum.trials')}</dt><dd>{fmtNum(sweep.trials, 0)}</dd>
        <dt>{t('analysis.sweep.order')}</dt><dd>{sweep.order}</dd>
      </dl>
      <h3>{t('analysis.sweep.curve')}</h3>
      <EChart id="sweep-curve" option={option} series={names} height={440}
        label={t('analysis.sweep.label', { series: names.join(', ') })} />
      <h3>{t('analysis.sweep.points')}</h3>
      <DataTable id="sweep-points" columns={columns} rows={points} rowKey="p" filter={false} csv="sweep-points.csv" />
    </div>
  );
}

function RankResult({ rank, sectors }) {
  const l = lang();
  const items = rank.ranked || [];
  const label = (r) => r.name || r.id;
  const { option, names } = useMemo(() => {
    const cats = items.map((r) => `${r.rank}. ${label(r)}`);
    const opt = {
      grid: { left: 16, right: 48, top: 16, bottom: 40, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(v, 0) },
      xAxis: { type: 'value', name: t('analysis.rank.damage'), nameLocation: 'middle', nameGap: 26,
        axisLabel: { formatter: (v) => fmtNum(v, 0) } },
      yAxis: { type: 'category', inverse: true, data: cats, axisLabel: { width: 320, overflow: 'truncate' } },
      series: [{
        name: t('analysis.rank.damage'), type: 'bar', data: items.map((r) => r.damage),
        itemStyle: { color: '#332288' }, barMaxWidth: 22,
      }],
    };
    return { option: opt, names: cats };
  }, [rank, l]);
  const columns = [
    { key: 'rank', label: t('analysis.rank.rank'), num: true },
    { key: 'name', label: t('analysis.node.name'), value: (r) => r.name || '' },
    { key: 'id', label: t('analysis.node.id'), render: (r) => <code>{r.id}</code> },
    { key: 'sector', label: t('analysis.sector'), value: (r) => sectorName(sectors, r.sector) },
    { key: 'operator', label: t('analysis.rank.operator') },
    { key: 'region', label: t('analysis.rank.region') },
    { key: 'kind', label: t('analysis.rank.kind') },
    { key: 'damage', label: t('analysis.rank.damage'), num: true, render: (r) => fmtNum(r.damage, 0) },
    { key: 'share', label: t('analysis.rank.share'), num: true, render: (r) => fmtPct(r.share, 2) },
    { key: 'failed', label: t('analysis.run.failed'), num: true, render: (r) => fmtNum(r.failed, 0) },
  ];
  return (
    <div>
      <Cards items={[
        [t('analysis.sum.candidates'), fmtNum(rank.candidates, 0), `/ ${fmtNum(rank.nodes, 0)}`],
        [t('analysis.rank.total_weight'), fmtNum(rank.total_weight, 0)],
        [t('analysis.rank.exhaustive'), rank.exhaustive ? t('analysis.yes') : t('analysis.no')],
      ]} />
      <h3>{t('analysis.rank.chart', { n: items.length })}</h3>
      <EChart id="rank-chart" option={option} series={names} height={Math.max(220, 60 + items.length * 28)}
        label={t('analysis.rank.label', { n: items.length, first: items.length ? label(items[0]) : '—' })} />
      <h3>{t('analysis.rank.table')}</h3>
      <DataTable id="rank-table" columns={columns} rows={items} rowKey="rank" csv="rank.csv" />
    </div>
  );
}

function Illustrative({ result }) {
  if (!result.illustrative) return null;
  return <Notice kind="warn">{t('analysis.iim.illustrative')}</Notice>;
}

function IimResult({ result, sectors }) {
  const l = lang();
  const rows = result.sectors || [];
  const { option, names } = useMemo(() => {
    const cats = rows.map((s) => sectorName(sectors, s.id));
    const opt = {
      color: ['#DDCC77', '#332288'],
      grid: { left: 16, right: 32, top: 40, bottom: 40, containLabel: true },
      legend: { top: 4, data: [t('analysis.iim.c'), t('analysis.iim.q')] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(v, 4) },
      xAxis: { type: 'value', min: 0, max: 1, name: t('analysis.diim.inoperability'), nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'category', inverse: true, data: cats },
      series: [
        { name: t('analysis.iim.c'), type: 'bar', data: rows.map((s) => s.c), barMaxWidth: 14 },
        { name: t('analysis.iim.q'), type: 'bar', data: rows.map((s) => s.q), barMaxWidth: 14 },
      ],
    };
    return { option: opt, names: cats };
  }, [result, sectors, l]);
  const columns = [
    { key: 'id', label: t('analysis.sector'), value: (s) => sectorName(sectors, s.id) },
    { key: 'c', label: t('analysis.iim.c'), num: true, render: (s) => fmtNum(s.c, 4) },
    { key: 'q', label: t('analysis.iim.q'), num: true, render: (s) => fmtNum(s.q, 4) },
    { key: 'saturated', label: t('analysis.iim.saturated'), value: (s) => (s.saturated ? t('analysis.yes') : t('analysis.no')) },
    { key: 'loss', label: t('analysis.iim.loss'), num: true, render: (s) => fmtNum(s.loss, 1) },
  ];
  return (
    <div>
      <Illustrative result={result} />
      <dl class="props result-head">
        <dt>{t('analysis.sum.spectral_radius')}</dt>
        <dd>{result.spectral_radius ? `${fmtNum(result.spectral_radius.lower, 4)} – ${fmtNum(result.spectral_radius.upper, 4)}` : '—'}</dd>
        <dt>{t('analysis.iim.total_loss')}</dt><dd>{fmtNum(result.total_loss, 1)}</dd>
        {result.model && result.model.loss_unit ? [<dt key="u">{t('analysis.iim.loss')}</dt>, <dd key="v">{t('analysis.iim.unit', { unit: result.model.loss_unit })}</dd>] : null}
      </dl>
      <h3>{t('analysis.iim.chart')}</h3>
      <EChart id="iim-chart" option={option} series={names} height={Math.max(260, 80 + rows.length * 34)}
        label={t('analysis.iim.label', { series: names.join(', ') })} />
      <h3>{t('analysis.iim.table')}</h3>
      <DataTable id="iim-table" columns={columns} rows={rows} filter={false} csv="iim-sectors.csv" />
    </div>
  );
}

function DiimResult({ result, sectors }) {
  const l = lang();
  const rows = result.sectors || [];
  const { option, names } = useMemo(() => {
    const tl = result.timeline || { hour: [], q: {} };
    const series = rows.map((s, i) => ({
      name: sectorName(sectors, s.id), data: (tl.q && tl.q[s.id]) || [], colour: seriesColour(i), dash: seriesDash(i),
    }));
    let max = 0;
    for (const s of series) for (const v of s.data) if (v > max) max = v;
    const opt = linesOption({
      x: tl.hour || [], series, xName: t('analysis.run.hours_axis'), pct: false, interval: hourInterval(result.hours),
      yAxis: { type: 'value', min: 0, max: Math.min(1, Math.ceil(max * 10) / 10 || 0.1), name: t('analysis.diim.inoperability'),
        nameTextStyle: { align: 'left' } },
    });
    return { option: opt, names: series.map((s) => s.name) };
  }, [result, sectors, l]);
  const columns = [
    { key: 'id', label: t('analysis.sector'), value: (s) => sectorName(sectors, s.id) },
    { key: 'k', label: t('analysis.diim.k'), num: true, render: (s) => fmtNum(s.k, 4) },
    { key: 'q0', label: t('analysis.diim.q0'), num: true, render: (s) => fmtNum(s.q0, 4) },
    { key: 'q_peak', label: t('analysis.diim.peak'), num: true, render: (s) => fmtNum(s.q_peak, 4) },
    { key: 'peak_hour', label: t('analysis.diim.peak_hour'), num: true, render: (s) => fmtHours(s.peak_hour) },
    { key: 'q_end', label: t('analysis.diim.q_end'), num: true, render: (s) => fmtNum(s.q_end, 4) },
    { key: 'impact_hours', label: t('analysis.diim.impact'), num: true, render: (s) => fmtNum(s.impact_hours, 2) },
    { key: 'loss', label: t('analysis.iim.loss'), num: true, render: (s) => fmtNum(s.loss, 2) },
  ];
  return (
    <div>
      <Illustrative result={result} />
      <dl class="props result-head">
        <dt>{t('analysis.sum.steps')}</dt><dd>{fmtNum(result.steps, 0)}</dd>
        <dt>{t('analysis.sum.dt')}</dt><dd>{fmtHours(result.step_hours)}</dd>
        <dt>{t('analysis.iim.total_loss')}</dt><dd>{fmtNum(result.total_loss, 2)}</dd>
        {result.model && result.model.loss_unit ? [<dt key="u">{t('analysis.iim.loss')}</dt>, <dd key="v">{t('analysis.iim.unit', { unit: result.model.loss_unit })}</dd>] : null}
      </dl>
      <h3>{t('analysis.diim.chart')}</h3>
      <EChart id="diim-chart" option={option} series={names} height={440}
        label={t('analysis.diim.label', { h: fmtNum(result.hours, 0), series: names.join(', ') })} />
      <h3>{t('analysis.iim.table')}</h3>
      <DataTable id="diim-table" columns={columns} rows={rows} filter={false} csv="diim-sectors.csv" />
    </div>
  );
}
