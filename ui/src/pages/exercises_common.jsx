// exercises_common.jsx - what the exercise pages share: their words in
// Japanese and English, the scenario clock as T+hh:mm, durations, polling
// (in the real world or inside an exercise's), the state badge and the
// exercise banner that every exercise view carries.
import { useCallback, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { usePoll } from '../ui.jsx';

extend({
  ja: {
    'ex.title': '訓練',
    'ex.lead': '分野横断的演習: シナリオ (MSEL) の状況付与に、参加組織が普段の受信箱・報告・共有の機能で対応します。訓練中の情報は訓練の中だけにあり、実際の受信箱や報告一覧には現れません。',
    'ex.list': '参加している訓練',
    'ex.none': '参加している訓練はありません。',
    'ex.col.title': '訓練名',
    'ex.col.state': '状態',
    'ex.col.format': '形式',
    'ex.col.theme': 'テーマ',
    'ex.col.clock': 'シナリオ時刻',
    'ex.col.speed': '速度',
    'ex.col.parts': 'あなたの役割',
    'ex.state.planned': '計画中',
    'ex.state.running': '実施中',
    'ex.state.paused': '一時停止',
    'ex.state.ended': '終了',
    'ex.format.tabletop': '机上演習',
    'ex.format.functional': '機能演習',
    'ex.part.player': 'プレイヤー',
    'ex.part.controller': 'コントローラー',
    'ex.part.evaluator': '評価者',
    'ex.part.adviser': 'アドバイザー',
    'ex.part.owner': '計画組織',
    'ex.speed': '{n} 倍速',
    'ex.banner.mark': '訓練 EXERCISE',
    'ex.banner.text': 'これは訓練です。実際の事案ではありません。ここでの操作は訓練の中だけに記録されます。',
    'ex.banner.clock': 'シナリオ時刻 {clock}',
    'ex.new': '訓練を計画する',
    'ex.f.title': '訓練名',
    'ex.f.description': '概要',
    'ex.f.template': 'シナリオのテンプレート',
    'ex.f.template.none': '（テンプレートを使わない）',
    'ex.f.template.hint': 'テンプレートのシナリオと状況付与がコピーされます。あとで編集できます。',
    'ex.f.template.injects': '状況付与 {n} 件',
    'ex.f.theme': 'テーマ',
    'ex.f.format': '形式',
    'ex.f.objectives': '訓練の目的（1 行に 1 つ）',
    'ex.f.cause': '障害の原因（正解）',
    'ex.f.cause_category': '原因の分類',
    'ex.f.cause_category.none': '（指定しない）',
    'ex.f.cause_hidden': '原因をプレイヤーに伏せる（コントローラーが明かすまで）',
    'ex.f.speed': '時計の速度（実時間 1 秒あたりのシナリオ秒数）',
    'ex.f.speed.hint': '1 は実時間。60 なら実時間 1 分でシナリオが 1 時間進みます。',
    'ex.f.submit': '訓練を作成',
    'ex.f.busy': '作成しています…',
    'ex.planner_only': '訓練の計画は NISC・所管省庁・セプター事務局が行います。',
    'ex.back': '訓練の一覧へ',
    'ex.tabs': '訓練のページ',
    'ex.tab.control': 'コントロール',
    'ex.tab.play': 'プレイヤー',
    'ex.tab.evaluate': '評価',
    'ex.no_part': 'この訓練での役割がありません。',
    'ex.summary': '概要',
    'ex.objectives': '訓練の目的',
    'ex.cause': '障害の原因',
    'ex.cause.hidden': '（プレイヤーには伏せています）',
    'ex.cause.revealed': 'T+{at} にプレイヤーに明かしました',
    'ex.started': '開始',
    'ex.ended': '終了',
    'ex.clock': 'シナリオ時刻',
    'ex.dur.col': '（時:分）',
    // clock
    'ex.clock.title': 'シナリオの時計',
    'ex.clock.polled': '2 秒ごとに更新されます。',
    'ex.clock.start': '訓練を開始',
    'ex.clock.pause': '一時停止',
    'ex.clock.resume': '再開',
    'ex.clock.end': '訓練を終了',
    'ex.clock.end.confirm': '訓練を終了しますか? 終了後は時計を動かせません。',
    'ex.clock.end.yes': '終了する',
    'ex.clock.advance': '時計を進める',
    'ex.clock.advance.label': '進める時間または到達時刻',
    'ex.clock.advance.hint': '例: 30m、2h、1h30m（進める時間）、T+3h（その時刻まで進める）。戻すことはできません。',
    'ex.clock.speed': '速度を変更',
    'ex.clock.speed.label': '新しい速度（倍速）',
    'ex.clock.done': '時計を更新しました: {clock}',
    'ex.reveal': '原因をプレイヤーに明かす',
    'ex.reveal.done': '原因を明かしました。',
    'ex.delete': 'この訓練を削除',
    'ex.delete.confirm': '訓練「{title}」と、その中の報告・情報提供・記録をすべて削除しますか? 元に戻せません。',
    'ex.delete.yes': '削除する',
    // MSEL
    'ex.msel': 'MSEL（状況付与の一覧）',
    'ex.msel.lead': '状況付与はシナリオ時刻になると、宛先のプレイヤーに訓練の情報提供として届きます。配信前のものだけ編集できます。',
    'ex.msel.none': '状況付与はまだありません。',
    'ex.i.seq': '番号',
    'ex.i.at': 'シナリオ時刻',
    'ex.i.at.hint': '例: T+3h、T+1h30m、90m、または秒数',
    'ex.i.type': '種類',
    'ex.i.method': '伝達手段',
    'ex.i.from': '発信者（シナリオ上）',
    'ex.i.to': '宛先',
    'ex.i.to.hint': '「all」（全プレイヤー）、「sector:finance」（分野）、組織コード。複数は ; で区切ります。',
    'ex.i.title': '件名',
    'ex.i.description': '内容',
    'ex.i.expected': '測定する対応',
    'ex.i.expected_action': '期待される対応',
    'ex.i.respond_within': '対応の目標時間',
    'ex.i.respond_within.hint': '例: 30m、2h',
    'ex.i.objective': '対応する目的',
    'ex.i.controller': '担当コントローラー',
    'ex.i.notes': 'メモ',
    'ex.i.sub_scenario': 'サブシナリオ',
    'ex.i.severity': '重要度',
    'ex.i.state': '状態',
    'ex.i.actions': '操作',
    'ex.i.state.pending': '未配信',
    'ex.i.state.delivered': '配信済み',
    'ex.i.state.skipped': 'スキップ',
    'ex.i.method.inbox': '受信箱',
    'ex.i.method.email': '電子メール',
    'ex.i.method.webhook': 'Webhook',
    'ex.i.method.phone': '電話',
    'ex.i.method.fax': 'FAX',
    'ex.i.method.verbal': '口頭',
    'ex.exp.report': 'IT障害報告',
    'ex.exp.ack': '受信確認',
    'ex.exp.share': '分野を越えた共有',
    'ex.exp.cause': '原因の特定',
    'ex.i.add': '状況付与を追加',
    'ex.i.edit': '編集',
    'ex.i.edit.title': '状況付与 {seq} を編集',
    'ex.i.skip': 'スキップ',
    'ex.i.delete': '削除',
    'ex.i.save': '保存',
    'ex.i.saved': '状況付与を保存しました。',
    'ex.i.edit_label': '状況付与 {seq} を編集',
    'ex.i.skip_label': '状況付与 {seq} をスキップ',
    'ex.i.delete_label': '状況付与 {seq} を削除',
    'ex.msel.files': 'MSEL の入出力',
    'ex.msel.export_csv': 'MSEL を CSV で出力',
    'ex.msel.export_json': 'MSEL を JSON で出力',
    'ex.msel.file': '取り込むファイル（CSV または JSON）',
    'ex.msel.replace': '未配信の状況付与を置き換える',
    'ex.msel.import': '取り込む',
    'ex.msel.imported': '{n} 件の状況付与を取り込みました。',
    'ex.msel.choose': 'ファイルを選んでください。',
    'ex.msel.bad_rows': '取り込めなかった行',
    'ex.msel.line': '{n} 行目',
    'ex.msel.index': '{n} 番目',
    // generation
    'ex.gen': '相互依存性解析からシナリオを作る',
    'ex.gen.lead': '完了したカスケード解析（run）の時系列から、影響を受ける分野のプレイヤー宛ての状況付与を作ります。作成後に編集してください。',
    'ex.gen.job': '解析ジョブ',
    'ex.gen.job.choose': '選択してください',
    'ex.gen.none': '完了したカスケード解析（run）のジョブがありません。',
    'ex.gen.to_analysis': '相互依存性解析へ',
    'ex.gen.max': '状況付与の最大数（1–200）',
    'ex.gen.per_sector': '分野あたりの最大数（1–20）',
    'ex.gen.submit': 'シナリオを作成',
    'ex.gen.done': '{n} 件の状況付与を追加しました。',
    // members
    'ex.members': '参加者',
    'ex.m.role': '役割',
    'ex.m.who': '参加者',
    'ex.m.team': 'チーム',
    'ex.m.remove': '外す',
    'ex.m.remove_label': '{who} を外す',
    'ex.m.add_player': 'プレイヤー組織を追加',
    'ex.m.org': '組織',
    'ex.m.org.choose': '選択してください',
    'ex.m.team.hint': '省略すると組織の分野になります。',
    'ex.m.add_user': 'コントローラー・評価者・アドバイザーを追加',
    'ex.m.user': 'ユーザー名',
    'ex.m.add': '追加',
    'ex.m.added': '追加しました。',
    'ex.m.none': '参加者はまだいません。',
    // status
    'ex.status': 'プレイヤーの状況',
    'ex.status.lead': '2 秒ごとに更新されます。',
    'ex.s.org': '組織',
    'ex.s.team': 'チーム',
    'ex.s.delivered': '配信',
    'ex.s.acked': '確認',
    'ex.s.reports': '報告',
    'ex.s.shares': '共有',
    'ex.s.last': '最後の対応',
    // player
    'ex.p.not_started': 'この訓練はまだ始まっていません。開始されると、状況付与がここに届きます。',
    'ex.p.ended': 'この訓練は終了しました。記録は閲覧だけできます。',
    'ex.p.inbox': '訓練の受信箱',
    'ex.p.inbox.lead': '訓練の状況付与です。実際の受信箱には届きません。',
    'ex.p.inbox.none': '届いた状況付与はまだありません。',
    'ex.p.col.severity': '重要度',
    'ex.p.col.title': '件名',
    'ex.p.col.from': '発信元',
    'ex.p.col.received': '受信',
    'ex.p.col.state': '状態',
    'ex.p.col.action': '操作',
    'ex.p.acked': '確認済み',
    'ex.p.new': '未確認',
    'ex.p.ack_label': '「{title}」の受信を確認',
    'ex.p.show': '内容',
    'ex.p.show_label': '「{title}」の内容を表示',
    'ex.p.hide': '閉じる',
    'ex.p.acked_done': '確認を記録しました。',
    'ex.p.report': '訓練での IT 障害報告',
    'ex.p.report.lead': 'この報告は訓練の中だけに記録され、実際の報告一覧には現れません。',
    'ex.p.report.sent': '報告を送信しました（訓練）。',
    'ex.p.reports': '訓練で送った・受け取った報告',
    'ex.p.reports.none': '訓練での報告はまだありません。',
    'ex.p.col.status': '状況',
    'ex.p.col.updated': '更新',
    'ex.p.actions': 'あなたの組織の対応の記録',
    'ex.p.action.kind': '対応',
    'ex.p.action.at': 'シナリオ時刻',
    'ex.p.actions.none': 'まだ記録はありません。',
    'ex.p.cause': '明かされた原因',
    // evaluation
    'ex.n.title': '評価の記録',
    'ex.n.kind': '種類',
    'ex.n.kind.observation': '観察',
    'ex.n.kind.advice': '助言',
    'ex.n.kind.lesson': '教訓（改善事項）',
    'ex.n.body': '内容',
    'ex.n.org': '対象のプレイヤー組織',
    'ex.n.inject': '対象の状況付与',
    'ex.n.any': '（指定しない）',
    'ex.n.owner': '改善の担当',
    'ex.n.due': '改善の期限',
    'ex.n.submit': '記録する',
    'ex.n.saved': '記録しました。',
    'ex.n.none': '記録はまだありません。',
    'ex.n.col.at': 'シナリオ時刻',
    'ex.n.col.author': '記録者',
    'ex.r.title': '事後評価レポート',
    'ex.r.lead': '状況付与から各対応までのシナリオ上の経過時間（時:分）です。',
    'ex.r.html': '印刷用レポート（HTML）をダウンロード',
    'ex.r.csv': 'レポートを CSV でダウンロード',
    'ex.r.participants': '参加組織ごと',
    'ex.r.sectors': '分野（チーム）ごと',
    'ex.r.rows': '状況付与と組織ごとの対応',
    'ex.r.chart': '平均対応時間（参加組織ごと）',
    'ex.r.chart.label': '参加組織ごとの平均の確認時間と報告時間の棒グラフ。数値は下の表にあります。',
    'ex.r.org': '組織',
    'ex.r.team': 'チーム',
    'ex.r.inject': '状況付与',
    'ex.r.met': '達成',
    'ex.r.missed': '未達',
    'ex.r.ack': '確認',
    'ex.r.report': '報告',
    'ex.r.share': '共有',
    'ex.r.cause': '原因特定',
    'ex.r.mean': '{what} 平均',
    'ex.r.median': '{what} 中央値',
    'ex.r.max': '{what} 最大',
    'ex.r.n': '{what} 件数',
    'ex.r.expected': '期待された対応',
    'ex.r.none': 'まだ測定結果はありません。',
    'ex.r.reload': 'レポートを更新',
  },
  en: {
    'ex.title': 'Exercises',
    'ex.lead': 'Cross-sector exercises: the players answer the injects of a scenario (the MSEL) with their usual inbox, reports and sharing. What happens in an exercise stays in it: it never appears in the real inbox or report list.',
    'ex.list': 'Exercises you take part in',
    'ex.none': 'You take part in no exercise.',
    'ex.col.title': 'Exercise',
    'ex.col.state': 'State',
    'ex.col.format': 'Format',
    'ex.col.theme': 'Theme',
    'ex.col.clock': 'Scenario time',
    'ex.col.speed': 'Speed',
    'ex.col.parts': 'Your part',
    'ex.state.planned': 'Planned',
    'ex.state.running': 'Running',
    'ex.state.paused': 'Paused',
    'ex.state.ended': 'Ended',
    'ex.format.tabletop': 'Tabletop',
    'ex.format.functional': 'Functional',
    'ex.part.player': 'Player',
    'ex.part.controller': 'Controller',
    'ex.part.evaluator': 'Evaluator',
    'ex.part.adviser': 'Adviser',
    'ex.part.owner': 'Planning organisation',
    'ex.speed': '×{n}',
    'ex.banner.mark': 'EXERCISE 訓練',
    'ex.banner.text': 'This is an exercise, not a real incident. What you do here is recorded inside the exercise only.',
    'ex.banner.clock': 'Scenario time {clock}',
    'ex.new': 'Plan an exercise',
    'ex.f.title': 'Title',
    'ex.f.description': 'Description',
    'ex.f.template': 'Scenario template',
    'ex.f.template.none': '(no template)',
    'ex.f.template.hint': 'The template\'s scenario and injects are copied; you can edit them afterwards.',
    'ex.f.template.injects': '{n} injects',
    'ex.f.theme': 'Theme',
    'ex.f.format': 'Format',
    'ex.f.objectives': 'Objectives (one per line)',
    'ex.f.cause': 'Cause of the failure (the answer)',
    'ex.f.cause_category': 'Cause category',
    'ex.f.cause_category.none': '(none)',
    'ex.f.cause_hidden': 'Hide the cause from the players (until a controller reveals it)',
    'ex.f.speed': 'Clock speed (scenario seconds per real second)',
    'ex.f.speed.hint': '1 is real time; at 60 the scenario moves an hour per real minute.',
    'ex.f.submit': 'Create the exercise',
    'ex.f.busy': 'Creating…',
    'ex.planner_only': 'NISC, ministries and CEPTOAR secretariats plan exercises.',
    'ex.back': 'Back to the exercises',
    'ex.tabs': 'Exercise pages',
    'ex.tab.control': 'Control',
    'ex.tab.play': 'Player',
    'ex.tab.evaluate': 'Evaluation',
    'ex.no_part': 'You have no part in this exercise.',
    'ex.summary': 'Summary',
    'ex.objectives': 'Objectives',
    'ex.cause': 'Cause of the failure',
    'ex.cause.hidden': '(hidden from the players)',
    'ex.cause.revealed': 'revealed to the players at T+{at}',
    'ex.started': 'Started',
    'ex.ended': 'Ended',
    'ex.clock': 'Scenario time',
    'ex.dur.col': '(h:mm)',
    'ex.clock.title': 'Scenario clock',
    'ex.clock.polled': 'Refreshed every 2 seconds.',
    'ex.clock.start': 'Start the exercise',
    'ex.clock.pause': 'Pause',
    'ex.clock.resume': 'Resume',
    'ex.clock.end': 'End the exercise',
    'ex.clock.end.confirm': 'End the exercise? Its clock cannot move afterwards.',
    'ex.clock.end.yes': 'End it',
    'ex.clock.advance': 'Advance the clock',
    'ex.clock.advance.label': 'Advance by, or to',
    'ex.clock.advance.hint': 'e.g. 30m, 2h, 1h30m (by), T+3h (to that time). The clock never goes back.',
    'ex.clock.speed': 'Change the speed',
    'ex.clock.speed.label': 'New speed (×)',
    'ex.clock.done': 'Clock updated: {clock}',
    'ex.reveal': 'Reveal the cause to the players',
    'ex.reveal.done': 'The cause is revealed.',
    'ex.delete': 'Delete this exercise',
    'ex.delete.confirm': 'Delete the exercise "{title}" with every report, alert and record in it? This cannot be undone.',
    'ex.delete.yes': 'Delete it',
    'ex.msel': 'MSEL (Master Scenario Events List)',
    'ex.msel.lead': 'At its scenario time an inject reaches its players as an alert of the exercise. Only injects not yet delivered can be edited.',
    'ex.msel.none': 'No injects yet.',
    'ex.i.seq': 'No.',
    'ex.i.at': 'Scenario time',
    'ex.i.at.hint': 'e.g. T+3h, T+1h30m, 90m, or seconds',
    'ex.i.type': 'Type',
    'ex.i.method': 'Delivery',
    'ex.i.from': 'From (in the scenario)',
    'ex.i.to': 'To',
    'ex.i.to.hint': '"all" (every player), "sector:finance" (a sector), organisation codes; separate several with ;.',
    'ex.i.title': 'Title',
    'ex.i.description': 'Description',
    'ex.i.expected': 'Measured actions',
    'ex.i.expected_action': 'Expected action',
    'ex.i.respond_within': 'Respond within',
    'ex.i.respond_within.hint': 'e.g. 30m, 2h',
    'ex.i.objective': 'Objective',
    'ex.i.controller': 'Controller',
    'ex.i.notes': 'Notes',
    'ex.i.sub_scenario': 'Sub-scenario',
    'ex.i.severity': 'Severity',
    'ex.i.state': 'State',
    'ex.i.actions': 'Actions',
    'ex.i.state.pending': 'Pending',
    'ex.i.state.delivered': 'Delivered',
    'ex.i.state.skipped': 'Skipped',
    'ex.i.method.inbox': 'Inbox',
    'ex.i.method.email': 'E-mail',
    'ex.i.method.webhook': 'Webhook',
    'ex.i.method.phone': 'Phone',
    'ex.i.method.fax': 'FAX',
    'ex.i.method.verbal': 'Verbal',
    'ex.exp.report': 'IT-failure report',
    'ex.exp.ack': 'Acknowledgement',
    'ex.exp.share': 'Sharing beyond the sector',
    'ex.exp.cause': 'Cause identified',
    'ex.i.add': 'Add an inject',
    'ex.i.edit': 'Edit',
    'ex.i.edit.title': 'Edit inject {seq}',
    'ex.i.skip': 'Skip',
    'ex.i.delete': 'Delete',
    'ex.i.save': 'Save',
    'ex.i.saved': 'Inject saved.',
    'ex.i.edit_label': 'Edit inject {seq}',
    'ex.i.skip_label': 'Skip inject {seq}',
    'ex.i.delete_label': 'Delete inject {seq}',
    'ex.msel.files': 'MSEL import and export',
    'ex.msel.export_csv': 'Export the MSEL as CSV',
    'ex.msel.export_json': 'Export the MSEL as JSON',
    'ex.msel.file': 'File to import (CSV or JSON)',
    'ex.msel.replace': 'Replace the injects not yet delivered',
    'ex.msel.import': 'Import',
    'ex.msel.imported': '{n} injects imported.',
    'ex.msel.choose': 'Choose a file.',
    'ex.msel.bad_rows': 'Rows refused',
    'ex.msel.line': 'line {n}',
    'ex.msel.index': 'item {n}',
    'ex.gen': 'Build the scenario from an interdependency analysis',
    'ex.gen.lead': 'Turns the timeline of a finished cascade analysis ("run") into injects to the players of the sectors it reaches. Edit them afterwards.',
    'ex.gen.job': 'Analysis job',
    'ex.gen.job.choose': 'Choose one',
    'ex.gen.none': 'No finished cascade ("run") job.',
    'ex.gen.to_analysis': 'Go to the interdependency analysis',
    'ex.gen.max': 'At most this many injects (1–200)',
    'ex.gen.per_sector': 'At most this many per sector (1–20)',
    'ex.gen.submit': 'Build the scenario',
    'ex.gen.done': '{n} injects added.',
    'ex.members': 'Participants',
    'ex.m.role': 'Part',
    'ex.m.who': 'Participant',
    'ex.m.team': 'Team',
    'ex.m.remove': 'Remove',
    'ex.m.remove_label': 'Remove {who}',
    'ex.m.add_player': 'Add a player organisation',
    'ex.m.org': 'Organisation',
    'ex.m.org.choose': 'Choose one',
    'ex.m.team.hint': 'Default: the organisation\'s sector.',
    'ex.m.add_user': 'Add a controller, evaluator or adviser',
    'ex.m.user': 'User name',
    'ex.m.add': 'Add',
    'ex.m.added': 'Added.',
    'ex.m.none': 'No participants yet.',
    'ex.status': 'Players\' status',
    'ex.status.lead': 'Refreshed every 2 seconds.',
    'ex.s.org': 'Organisation',
    'ex.s.team': 'Team',
    'ex.s.delivered': 'Delivered',
    'ex.s.acked': 'Acknowledged',
    'ex.s.reports': 'Reports',
    'ex.s.shares': 'Shares',
    'ex.s.last': 'Last action',
    'ex.p.not_started': 'This exercise has not started yet. Its injects arrive here once it runs.',
    'ex.p.ended': 'This exercise has ended; its records can be read only.',
    'ex.p.inbox': 'Exercise inbox',
    'ex.p.inbox.lead': 'The injects of the exercise. They never reach your real inbox.',
    'ex.p.inbox.none': 'No injects have arrived yet.',
    'ex.p.col.severity': 'Severity',
    'ex.p.col.title': 'Subject',
    'ex.p.col.from': 'From',
    'ex.p.col.received': 'Received',
    'ex.p.col.state': 'State',
    'ex.p.col.action': 'Action',
    'ex.p.acked': 'Acknowledged',
    'ex.p.new': 'Not acknowledged',
    'ex.p.ack_label': 'Acknowledge "{title}"',
    'ex.p.show': 'Read',
    'ex.p.show_label': 'Read "{title}"',
    'ex.p.hide': 'Close',
    'ex.p.acked_done': 'Your acknowledgement is recorded.',
    'ex.p.report': 'IT-failure report in the exercise',
    'ex.p.report.lead': 'This report is recorded inside the exercise only; it never appears in the real report list.',
    'ex.p.report.sent': 'Report sent (exercise).',
    'ex.p.reports': 'Reports of the exercise',
    'ex.p.reports.none': 'No reports in the exercise yet.',
    'ex.p.col.status': 'Status',
    'ex.p.col.updated': 'Updated',
    'ex.p.actions': 'What your organisation did',
    'ex.p.action.kind': 'Action',
    'ex.p.action.at': 'Scenario time',
    'ex.p.actions.none': 'Nothing recorded yet.',
    'ex.p.cause': 'The cause, revealed',
    'ex.n.title': 'Evaluation notes',
    'ex.n.kind': 'Kind',
    'ex.n.kind.observation': 'Observation',
    'ex.n.kind.advice': 'Advice',
    'ex.n.kind.lesson': 'Lesson (improvement)',
    'ex.n.body': 'Note',
    'ex.n.org': 'About the player organisation',
    'ex.n.inject': 'About the inject',
    'ex.n.any': '(none)',
    'ex.n.owner': 'Owner of the improvement',
    'ex.n.due': 'Due',
    'ex.n.submit': 'Record',
    'ex.n.saved': 'Recorded.',
    'ex.n.none': 'No notes yet.',
    'ex.n.col.at': 'Scenario time',
    'ex.n.col.author': 'By',
    'ex.r.title': 'After-action report',
    'ex.r.lead': 'Scenario time (h:mm) from each inject to each action.',
    'ex.r.html': 'Download the printable report (HTML)',
    'ex.r.csv': 'Download the report as CSV',
    'ex.r.participants': 'Per participant',
    'ex.r.sectors': 'Per sector (team)',
    'ex.r.rows': 'Per inject and organisation',
    'ex.r.chart': 'Mean response times per participant',
    'ex.r.chart.label': 'Bars of each participant\'s mean time to acknowledge and to report; the numbers are in the tables below.',
    'ex.r.org': 'Organisation',
    'ex.r.team': 'Team',
    'ex.r.inject': 'Inject',
    'ex.r.met': 'Met',
    'ex.r.missed': 'Missed',
    'ex.r.ack': 'Ack',
    'ex.r.report': 'Report',
    'ex.r.share': 'Share',
    'ex.r.cause': 'Cause',
    'ex.r.mean': '{what} mean',
    'ex.r.median': '{what} median',
    'ex.r.max': '{what} max',
    'ex.r.n': '{what} count',
    'ex.r.expected': 'Expected actions',
    'ex.r.none': 'Nothing measured yet.',
    'ex.r.reload': 'Refresh the report',
  },
});

export const STATES = ['planned', 'running', 'paused', 'ended'];
export const FORMATS = ['tabletop', 'functional'];
export const METHODS = ['inbox', 'email', 'webhook', 'phone', 'fax', 'verbal'];
export const EXPECTED = ['report', 'ack', 'share', 'cause'];
// The roles that plan exercises (the API refuses the others).
export const PLANNERS = ['nisc', 'ministry', 'ceptoar'];

const pad = (n) => String(n).padStart(2, '0');

// A scenario time in seconds as T+hh:mm (hours beyond 24 are kept: T+26:30).
export function fmtT(s) {
  if (s === null || s === undefined || s === '' || Number.isNaN(Number(s))) return '—';
  const v = Math.max(0, Math.floor(Number(s)));
  return `T+${pad(Math.floor(v / 3600))}:${pad(Math.floor((v % 3600) / 60))}`;
}

// A duration in seconds as h:mm ('—' for none).
export function fmtDur(s) {
  if (s === null || s === undefined || s === '' || Number.isNaN(Number(s))) return '—';
  const v = Math.max(0, Math.round(Number(s)));
  const m = Math.round((v % 3600) / 60);
  const h = Math.floor(v / 3600) + (m === 60 ? 1 : 0);
  return `${h}:${pad(m === 60 ? 0 : m)}`;
}

// Seconds as the API's duration text ("1h30m", "45m", "90s"; "" for none),
// for the edit forms.
export function durText(s) {
  if (s === null || s === undefined || s === '') return '';
  const v = Math.max(0, Math.floor(Number(s)));
  if (v % 60) return String(v);
  const h = Math.floor(v / 3600);
  const m = Math.floor((v % 3600) / 60);
  return (h ? h + 'h' : '') + (m || !h ? m + 'm' : '');
}

// A scenario time for the API: a number of seconds stays a number; text
// ("T+3h", "90m") goes as it is.
export function timeValue(v) {
  const s = String(v || '').trim();
  if (s === '') return undefined;
  return /^\d+$/.test(s) ? Number(s) : s;
}

export function StateBadge({ state }) {
  const cls = { running: 'badge-warn', paused: '', planned: '', ended: 'badge-ok' }[state] || '';
  return <span class={`badge ${cls}`} data-state={state}>{t('ex.state.' + state)}</span>;
}

export function partsText(parts) {
  return (parts || []).map((p) => t('ex.part.' + p)).join('・');
}

// An organisation's name from a row that names it (name_ja/name_en or
// org_name_ja/org_name_en), else its code or id.
export function orgText(r) {
  if (!r) return '';
  if (r.org_name_ja || r.org_name_en) return nameOf(r, 'org_name');
  if (r.name_ja || r.name_en) return nameOf(r);
  return r.org_code || r.code || r.org || r.id || '';
}

// GET path (below /api/v1) now and every ms while shown; opts as api()'s
// (exercise: inside that exercise's world). An error keeps the last answer.
export function usePolled(path, ms, opts) {
  const [state, setState] = useState({ data: null, error: null, loading: !!path });
  const seq = useRef(0);
  const exercise = opts && opts.exercise;
  const load = useCallback(async () => {
    if (!path) return;
    const n = ++seq.current;
    try {
      const data = await api('GET', path, undefined, exercise ? { exercise } : {});
      if (n === seq.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (n === seq.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [path, exercise]);
  usePoll(load, ms, [load]);
  return { ...state, reload: load };
}

// Yellow and black hazard stripes (SVG attributes only: nothing inline for
// the Content-Security-Policy to refuse).
function Stripes({ id }) {
  return (
    <svg aria-hidden="true" focusable="false" width="100%" height="10">
      <defs>
        <pattern id={id} width="20" height="10" patternUnits="userSpaceOnUse" patternTransform="skewX(-45)">
          <rect width="10" height="10" fill="#ffd400" />
          <rect x="10" width="10" height="10" fill="#111111" />
        </pattern>
      </defs>
      <rect width="100%" height="10" fill={`url(#${id})`} />
    </svg>
  );
}

// The banner of every exercise view: unmistakably an exercise.
export function ExerciseBanner({ ex }) {
  return (
    <div class="sp-banner" role="note" id="exercise-banner">
      <Stripes id="ex-stripes-top" />
      <p>
        <span class="exercise">{t('ex.banner.mark')}</span>{' '}
        {t('ex.banner.text')}
        {ex ? <> · <span id="exercise-banner-clock">{t('ex.banner.clock', { clock: fmtT(ex.scenario_s) })}</span> · {t('ex.state.' + ex.state)}</> : null}
      </p>
      <Stripes id="ex-stripes-bottom" />
    </div>
  );
}
