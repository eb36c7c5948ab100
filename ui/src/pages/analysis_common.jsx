// analysis_common.jsx - what the analysis pages share: their words in both
// languages, the sectors' names, job states, numbers and the job's files.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { extend, fmtNum, nameOf, t } from '../i18n.js';

extend({
  ja: {
    'analysis.title': '相互依存性解析',
    'analysis.lead': '重要インフラの施設・システム・サービスの依存関係モデルや分野間の相互依存モデルで、障害の波及を解析します。ジョブはサーバーで一件ずつ実行されます。',
    'analysis.denied': '相互依存性解析は、NISC、所管省庁、関係機関、セプター事務局の利用者が使えます。あなたのロール（{role}）では利用できません。',
    'analysis.denied.api': 'このアカウントには相互依存性解析を利用する権限がありません。',
    'analysis.tabs': '相互依存性解析のページ',
    'analysis.tab.jobs': 'ジョブ一覧',
    'analysis.tab.models': 'モデル',
    'analysis.tab.new': '新しいジョブ',
    'analysis.kind': '種類',
    'analysis.kind.iim': 'IIM（分野間・静的）',
    'analysis.kind.diim': 'DIIM（分野間・動的）',
    'analysis.kind.run': 'シミュレーション（施設レベル）',
    'analysis.kind.sweep': 'スイープ（除去率と稼働率）',
    'analysis.kind.rank': '重要度ランキング',
    'analysis.kind.iim.hint': '10分野の相互依存行列（既定は例示用）で、ある分野の機能停止が他分野に及ぼす均衡状態の影響を求めます。モデル不要。',
    'analysis.kind.diim.hint': 'IIM の時間発展。停止率の推移、ピーク、累積影響を求めます。モデル不要。',
    'analysis.kind.run.hint': '施設モデル上で障害シナリオ（広域停電など）を時間を追って模擬し、分野ごとの稼働率の推移と波及の連鎖を求めます。',
    'analysis.kind.sweep.hint': 'ネットワーク層のノードを無作為に除去し、残す割合ごとに全体の稼働率を求めます（恒久的な停止を仮定）。',
    'analysis.kind.rank.hint': '施設を一つずつ失ったときの被害（重み）で、単一障害点を順位付けします。',
    'analysis.state': '状態',
    'analysis.state.queued': '待機中',
    'analysis.state.running': '実行中',
    'analysis.state.done': '完了',
    'analysis.state.failed': '失敗',
    'analysis.state.cancelled': '取消済み',
    'analysis.state.all': 'すべて',
    'analysis.progress': '進捗',
    'analysis.progress.queued': '順番を待っています',
    'analysis.progress.of': '{done} / {total}（{pct}%）',
    'analysis.model': 'モデル',
    'analysis.model.none': '（モデルなし）',
    'analysis.model.deleted': '（削除されたモデル）',
    'analysis.created_by': '作成者',
    'analysis.created_at': '作成日時',
    'analysis.started_at': '開始日時',
    'analysis.finished_at': '終了日時',
    'analysis.org': '組織',
    'analysis.id': 'ID',
    'analysis.options': 'オプション',
    'analysis.open': '開く',
    'analysis.hours': '{h} 時間',
    'analysis.sector': '分野',
    'analysis.all': '全体',
    'analysis.bytes': '{n} バイト',
    'analysis.kb': '{n} KB',
    'analysis.mb': '{n} MB',
  },
  en: {
    'analysis.title': 'Interdependency analysis',
    'analysis.lead': 'Analyse how failures spread, in a model of the dependencies between critical-infrastructure facilities, systems and services, or between sectors. The server runs jobs one at a time.',
    'analysis.denied': 'Interdependency analysis is for users of NISC, the ministries, the related agencies and the CEPTOAR secretariats. Your role ({role}) cannot use it.',
    'analysis.denied.api': 'This account is not allowed to use interdependency analysis.',
    'analysis.tabs': 'Interdependency analysis pages',
    'analysis.tab.jobs': 'Jobs',
    'analysis.tab.models': 'Models',
    'analysis.tab.new': 'New job',
    'analysis.kind': 'Kind',
    'analysis.kind.iim': 'IIM (sectors, static)',
    'analysis.kind.diim': 'DIIM (sectors, dynamic)',
    'analysis.kind.run': 'Simulation (facilities)',
    'analysis.kind.sweep': 'Sweep (removal and working fraction)',
    'analysis.kind.rank': 'Criticality ranking',
    'analysis.kind.iim.hint': 'The equilibrium effect of one sector\'s inoperability on the others, through a matrix of the ten sectors (the default one is illustrative). No model needed.',
    'analysis.kind.diim.hint': 'The IIM over time: inoperability per sector, its peak and the cumulative impact. No model needed.',
    'analysis.kind.run.hint': 'Simulate a scenario (a wide-area blackout, ...) on a facility model over time: the working fraction per sector and the chain of propagation.',
    'analysis.kind.sweep.hint': 'Remove a random share of the network layers\' nodes and find the working fraction for each share kept (outages that last for ever).',
    'analysis.kind.rank.hint': 'Rank single points of failure by the damage (weight) of losing each facility alone.',
    'analysis.state': 'State',
    'analysis.state.queued': 'Queued',
    'analysis.state.running': 'Running',
    'analysis.state.done': 'Done',
    'analysis.state.failed': 'Failed',
    'analysis.state.cancelled': 'Cancelled',
    'analysis.state.all': 'All',
    'analysis.progress': 'Progress',
    'analysis.progress.queued': 'Waiting for its turn',
    'analysis.progress.of': '{done} of {total} ({pct}%)',
    'analysis.model': 'Model',
    'analysis.model.none': '(no model)',
    'analysis.model.deleted': '(model deleted)',
    'analysis.created_by': 'Created by',
    'analysis.created_at': 'Created',
    'analysis.started_at': 'Started',
    'analysis.finished_at': 'Finished',
    'analysis.org': 'Organisation',
    'analysis.id': 'ID',
    'analysis.options': 'Options',
    'analysis.open': 'Open',
    'analysis.hours': '{h} h',
    'analysis.sector': 'Sector',
    'analysis.all': 'Whole model',
    'analysis.bytes': '{n} bytes',
    'analysis.kb': '{n} KB',
    'analysis.mb': '{n} MB',
  },
});

export const KINDS = ['run', 'sweep', 'rank', 'iim', 'diim'];
export const NEEDS_MODEL = { iim: false, diim: false, run: true, sweep: true, rank: true };
export const STATES = ['queued', 'running', 'done', 'failed', 'cancelled'];
// The roles the API lets use the analysis.
export const ANALYSTS = ['nisc', 'ministry', 'ceptoar', 'agency'];

// The model of a job, as a reader sees it.
export function modelText(job) {
  if (job.model_name) return job.model_name;
  if (job.model) return job.model;
  return NEEDS_MODEL[job.kind] ? t('analysis.model.deleted') : t('analysis.model.none');
}

export function isActive(job) {
  return !!job && (job.state === 'queued' || job.state === 'running');
}

const STATE_CLASS = { done: 'badge-ok', failed: 'badge-bad', cancelled: 'badge-warn', running: 'badge-run', queued: '' };

export function StateBadge({ state }) {
  return <span class={`badge ${STATE_CLASS[state] || ''}`}>{t('analysis.state.' + state)}</span>;
}

// The sectors of the registry (loaded once): {id: sector}.
let sectorCache = null;
let sectorWait = null;
export function useSectors() {
  const [map, setMap] = useState(sectorCache);
  useEffect(() => {
    if (sectorCache) return undefined;
    let live = true;
    if (!sectorWait)
      sectorWait = get('/sectors?limit=500')
        .then((r) => {
          const m = {};
          for (const s of r.items || []) m[s.id] = s;
          sectorCache = m;
          return m;
        })
        .catch(() => {
          sectorWait = null;
          return {};
        });
    sectorWait.then((m) => { if (live) setMap(m); });
    return () => { live = false; };
  }, []);
  return map || {};
}

// A sector's name in the current language (its id when the registry lacks it).
export function sectorName(sectors, id) {
  return sectors && sectors[id] ? nameOf(sectors[id]) : id;
}

export function fmtHours(h) {
  if (h === null || h === undefined || h === '') return '—';
  return t('analysis.hours', { h: fmtNum(Number(h), 1) });
}

export function fmtPct(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  return fmtNum(Number(x) * 100, digits) + '%';
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return t('analysis.bytes', { n: fmtNum(n, 0) });
  if (n < 1024 * 1024) return t('analysis.kb', { n: fmtNum(n / 1024, 1) });
  return t('analysis.mb', { n: fmtNum(n / 1048576, 1) });
}

export function progressPct(p) {
  return p && p.total ? Math.floor((100 * p.done) / p.total) : 0;
}

export function shortId(id) {
  return String(id || '').slice(0, 8);
}

export function filePath(jobId, name) {
  return `/analysis/jobs/${encodeURIComponent(jobId)}/files/${encodeURIComponent(name)}`;
}

// A file of a job as text (the API sends files as downloads).
export async function fileText(jobId, name) {
  const r = await get(filePath(jobId, name), { raw: true });
  if (r instanceof Response) return r.text();
  return typeof r === 'string' ? r : JSON.stringify(r);
}

// A JSON file of a job, parsed.
export async function fileJson(jobId, name) {
  const r = await get(filePath(jobId, name), { raw: true });
  if (r instanceof Response) return JSON.parse(await r.text());
  return typeof r === 'string' ? JSON.parse(r) : r;
}
