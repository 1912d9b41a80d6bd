// The audit log's vocabulary: every action the code records, with the label /admin/audit shows.
// Shared with the page (no `.server`), so the filter lists exactly what can occur.

export const AUDIT_ACTIONS = {
  "auth.login": "ログイン",
  "auth.login.locked": "ログイン（試行回数超過で拒否）",
  "auth.logout": "ログアウト",
  "auth.2fa.verify": "二要素認証の確認",
  "auth.2fa.enrol": "二要素認証の設定",
  "auth.2fa.reset": "二要素認証の解除（管理者）",
  "auth.recovery-code.use": "リカバリーコードの使用",
  "auth.recovery-code.regenerate": "リカバリーコードの再発行",
  "auth.session.revoke": "セッションの取り消し",
  "auth.password.reset-request": "パスワード再設定の申請",
  "auth.password.reset": "パスワードの再設定",
  "auth.password.change": "パスワードの変更",
  "auth.access-denied": "権限のない操作の拒否",
  "user.invite": "アカウントの招待",
  "user.invite.accept": "招待の受諾（パスワード設定）",
  "user.role.change": "役割の変更",
  "user.organisation.change": "所属の変更",
  "user.disable": "アカウントの停止",
  "user.enable": "アカウントの再開",
  "organisation.create": "所属の追加",
  "audit.read": "監査ログの閲覧",
  "resource.import": "地域資源の CSV 取り込み",
  "person.read": "本人の記録の閲覧",
  "person.list": "本人の一覧の閲覧",
  "person.create": "本人の登録（インテーク）",
  "person.update": "本人の記録の更新",
  "consent.record": "同意の記録",
  "assessment.create": "アセスメントの記録",
  "placement.create": "つなぎ（マッチング）の記録",
  "placement.transition": "つなぎの状況の変更",
  "unmet-need.create": "不足している社会資源の記録",
  "plan.create": "プランの作成",
  "plan.revise": "プランの見直し（新しい版）",
  "plan.transition": "プランの状態の変更",
  "plan.read": "プランの閲覧",
  "contact-attempt.record": "連絡の試みの記録",
  "followup.read": "フォローアップ（定着支援）の閲覧",
  "followup.record": "フォローアップ（定着支援）の記録",
  "meeting.create": "会議の作成",
  "meeting.member.add": "会議の構成員の追加",
  "meeting.pledge": "守秘義務の誓約",
  "meeting.case.add": "会議への事例の提出",
  "meeting.agenda.build": "重層的支援会議の議題の作成",
  "meeting.read": "会議の閲覧",
  "meeting.case.read": "会議での事例の閲覧",
  "meeting.minutes": "議事録・決定事項の記録",
  "alert.bulk-read": "警告：1時間に多数の本人記録の閲覧",
  "person.disclosure-export": "本人開示のための記録の書き出し",
  "data.purge": "保存期間を過ぎた記録の削除",
  "data.key-rotation": "暗号鍵の切り替え（再暗号化）",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export type AuditOutcome = "success" | "failure" | "denied";

export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, string> = {
  success: "成功",
  failure: "失敗",
  denied: "拒否",
};

/** Record types the log names (later issues add person, placement, plan …). */
export const AUDIT_RECORD_TYPES = {
  user: "アカウント",
  session: "セッション",
  organisation: "所属",
  audit_log: "監査ログ",
  source: "出典（取り込み）",
  person: "本人",
  placement: "つなぎ",
  assessment: "アセスメント",
  unmet_need: "不足している社会資源",
  plan: "プラン",
  follow_up: "フォローアップ",
} as const;
