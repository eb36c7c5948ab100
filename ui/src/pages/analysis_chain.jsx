// analysis_chain.jsx - the propagation chain of one run (chain.json) as a
// tree: under each event of the scenario, each node under what took it down
// first, most damaging branches first. Branches open and close with the
// keyboard (details/summary).
import { useMemo, useState } from 'preact/hooks';
import { extend, fmtNum, t } from '../i18n.js';
import { fmtHours, sectorName } from './analysis_common.jsx';

extend({
  ja: {
    'analysis.chain.lead': '{failed} ノードが停止しました。被害の大きい枝から {shown} ノードを表示しています。',
    'analysis.chain.truncated': '表示は上限（1 ノードあたり 25 件、全体 2,000 件）で打ち切られています。すべては chain.txt と nodes.csv にあります。',
    'analysis.chain.event': '{start} から {duration}',
    'analysis.chain.event_open': '{start} から終了まで',
    'analysis.chain.event_stats': '{nodes} ノード、被害 {damage}',
    'analysis.chain.down_at': '{h}に停止',
    'analysis.chain.line': '{when}（{cause}）',
    'analysis.chain.back_at': '{h} に復旧',
    'analysis.chain.still_down': '終了時も停止中',
    'analysis.chain.stats': '被害 {damage}（{nodes} ノード）',
    'analysis.chain.cause.event': '事象により停止',
    'analysis.chain.cause.dependency': '{by} からの{via}が途絶',
    'analysis.chain.cause.layer': '{by} の停止で {via} から切り離し',
    'analysis.chain.cause.start': '開始時から網から切り離し',
    'analysis.chain.hidden': 'ほか {n} ノード（表示上限により省略）',
    'analysis.chain.expand': 'すべて開く',
    'analysis.chain.collapse': 'すべて閉じる',
    'analysis.chain.tree': '波及の連鎖（ツリー）',
    'analysis.via.power': '電力',
    'analysis.via.communications': '通信',
    'analysis.via.water': '水',
    'analysis.via.fuel': '燃料',
    'analysis.via.it-service': 'ITサービス',
    'analysis.via.payment': '決済',
    'analysis.via.logistics': '物流',
    'analysis.via.gas': 'ガス',
    'analysis.via.transport': '輸送',
  },
  en: {
    'analysis.chain.lead': '{failed} nodes went down. {shown} of them are shown, the most damaging branches first.',
    'analysis.chain.truncated': 'The tree is cut at its limits (25 children per node, 2,000 nodes in all); chain.txt and nodes.csv have everything.',
    'analysis.chain.event': 'from {start} for {duration}',
    'analysis.chain.event_open': 'from {start} to the end',
    'analysis.chain.event_stats': '{nodes} nodes, damage {damage}',
    'analysis.chain.down_at': 'down at {h}',
    'analysis.chain.line': '{when}, {cause}',
    'analysis.chain.back_at': 'back at {h}',
    'analysis.chain.still_down': 'still down at the end',
    'analysis.chain.stats': 'damage {damage} in {nodes} nodes',
    'analysis.chain.cause.event': 'hit by the event',
    'analysis.chain.cause.dependency': 'lost {via} from {by}',
    'analysis.chain.cause.layer': 'cut off from {via} by {by}',
    'analysis.chain.cause.start': 'cut off from its network from the start',
    'analysis.chain.hidden': '{n} more nodes (not shown: limit)',
    'analysis.chain.expand': 'Expand all',
    'analysis.chain.collapse': 'Collapse all',
    'analysis.chain.tree': 'Propagation chain (tree)',
    'analysis.via.power': 'power',
    'analysis.via.communications': 'communications',
    'analysis.via.water': 'water',
    'analysis.via.fuel': 'fuel',
    'analysis.via.it-service': 'IT services',
    'analysis.via.payment': 'payments',
    'analysis.via.logistics': 'logistics',
    'analysis.via.gas': 'gas',
    'analysis.via.transport': 'transport',
  },
});

function via(v) {
  if (!v) return '';
  const key = 'analysis.via.' + v;
  const s = t(key);
  return s === key ? v : s;
}

function cause(n) {
  switch (n.cause) {
    case 'event': return t('analysis.chain.cause.event');
    case 'dependency': return t('analysis.chain.cause.dependency', { by: n.by, via: via(n.via) });
    case 'layer': return t('analysis.chain.cause.layer', { by: n.by, via: n.via });
    case 'start': return t('analysis.chain.cause.start');
    default: return n.cause || '';
  }
}

// The flat list (depth-first, with depths) as a tree under its roots.
export function chainTree(chain) {
  const roots = (chain.roots || []).map((r) => ({ ...r, children: [] }));
  const byIndex = new Map(roots.map((r) => [r.root, r]));
  let stack = [];
  let current = null;
  for (const n of chain.nodes || []) {
    const root = byIndex.get(n.root);
    if (!root) continue;
    if (root !== current) {
      current = root;
      stack = [{ depth: -Infinity, children: root.children }];
    }
    const node = { ...n, children: [] };
    while (stack.length > 1 && stack[stack.length - 1].depth >= n.depth) stack.pop();
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  }
  return roots;
}

function NodeLine({ n, sectors }) {
  const name = n.name || n.id;
  return (
    <span class="chain-line">
      <span class="chain-name">{name}</span>
      {n.name ? <code class="chain-id">{n.id}</code> : null}
      <span class="badge chain-sector">{sectorName(sectors, n.sector)}</span>
      <span class="chain-cause">
        {t('analysis.chain.line', { when: t('analysis.chain.down_at', { h: fmtHours(n.down_at_hours) }), cause: cause(n) })}
      </span>
      <span class="muted chain-stats">
        {t('analysis.chain.stats', { damage: fmtNum(n.damage, 0), nodes: fmtNum(n.nodes, 0) })}
        {' · '}
        {n.back_at_hours === null || n.back_at_hours === undefined
          ? t('analysis.chain.still_down') : t('analysis.chain.back_at', { h: fmtHours(n.back_at_hours) })}
      </span>
    </span>
  );
}

function Branch({ n, sectors, open, level }) {
  const hidden = n.hidden_children > 0
    ? <li class="muted chain-hidden">{t('analysis.chain.hidden', { n: fmtNum(n.hidden_children, 0) })}</li> : null;
  if (!n.children.length && !hidden) return <li class="chain-leaf"><NodeLine n={n} sectors={sectors} /></li>;
  return (
    <li>
      <details open={open === 'all' || (open === 'some' && level < 3)}>
        <summary><NodeLine n={n} sectors={sectors} /></summary>
        <ul>
          {n.children.map((c, i) => <Branch key={i} n={c} sectors={sectors} open={open} level={level + 1} />)}
          {hidden}
        </ul>
      </details>
    </li>
  );
}

export function ChainTree({ chain, sectors }) {
  const roots = useMemo(() => chainTree(chain), [chain]);
  const [open, setOpen] = useState('some');
  const [gen, setGen] = useState(0);
  const toggleAll = (mode) => {
    setOpen(mode);
    setGen((g) => g + 1);
  };
  return (
    <div class="chain" id="run-chain">
      <p>{t('analysis.chain.lead', { failed: fmtNum(chain.failed_nodes, 0), shown: fmtNum(chain.shown, 0) })}</p>
      {chain.truncated ? <p class="hint">{t('analysis.chain.truncated')}</p> : null}
      <div class="chain-tools">
        <button type="button" class="secondary small" onClick={() => toggleAll('all')}>{t('analysis.chain.expand')}</button>
        <button type="button" class="secondary small" onClick={() => toggleAll('none')}>{t('analysis.chain.collapse')}</button>
      </div>
      <ul class="chain-tree" key={gen} aria-label={t('analysis.chain.tree')}>
        {roots.map((r, i) => (
          <li key={r.root} class="chain-root">
            <details open={open === 'all' || (open === 'some' && i < 2)}>
              <summary>
                <span class="chain-event">{r.event}</span>{' '}
                <span class="chain-when">
                  {r.duration_hours === null || r.duration_hours === undefined
                    ? t('analysis.chain.event_open', { start: fmtHours(r.start_hours) })
                    : t('analysis.chain.event', { start: fmtHours(r.start_hours), duration: fmtHours(r.duration_hours) })}
                </span>{' '}
                <span class="muted">— {t('analysis.chain.event_stats', { nodes: fmtNum(r.nodes, 0), damage: fmtNum(r.damage, 0) })}</span>
              </summary>
              <ul>
                {r.children.map((c, j) => <Branch key={j} n={c} sectors={sectors} open={open} level={1} />)}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
