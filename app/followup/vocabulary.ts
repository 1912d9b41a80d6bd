// 定着支援's words the pages show (browser-safe): how a contact was made and with which side.
// followups.server.ts re-exports them for the server code that already imports them from there.

export const CONTACT_KINDS = [
  { code: "visit", label: "訪問" },
  { code: "phone", label: "電話" },
  { code: "accompany", label: "同行" },
  { code: "message", label: "メール・チャット" },
  { code: "interview", label: "面談" },
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number]["code"];
export const contactKindLabel = (code: string | null) => CONTACT_KINDS.find((k) => k.code === code)?.label ?? "—";
export const SIDE_LABELS = { person: "本人", host: "受け入れ先" } as const;
export const sideLabel = (side: string) => (side === "host" ? SIDE_LABELS.host : SIDE_LABELS.person);

export const FOLLOW_UP_STATUS_LABELS: Record<string, string> = { planned: "予定", done: "記録済み", cancelled: "取り消し" };
export const PHASE_LABELS: Record<string, string> = { placement: "定着支援", post_termination: "終結後の連絡" };
