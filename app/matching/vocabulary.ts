// The assessment's vocabulary (アセスメント): interests, wanted participation, transport, ladder
// steps and certificates. Codes are stored; labels are what staff read and what the needs file of
// scripts/match.ts may use instead of codes. No imports: the browser uses it too.

export const INTERESTS = [
  { code: "cooking", label: "料理" },
  { code: "gardening", label: "園芸・農作業" },
  { code: "crafts", label: "手芸・創作" },
  { code: "exercise", label: "体操・運動" },
  { code: "music", label: "音楽" },
  { code: "computer", label: "パソコン" },
  { code: "children", label: "子ども" },
  { code: "animals", label: "動物" },
  { code: "reading", label: "読書" },
  { code: "talking", label: "おしゃべり・交流" },
  { code: "games", label: "囲碁・将棋・ゲーム" },
  { code: "learning", label: "学び・講座" },
  { code: "cleaning", label: "清掃・軽作業" },
  { code: "making", label: "ものづくり・製作作業" },
  { code: "eating", label: "食事・会食" },
] as const;
export type Interest = (typeof INTERESTS)[number]["code"];
export const INTEREST_CODES = INTERESTS.map((i) => i.code) as [Interest, ...Interest[]];

/** What kind of participation the person wants (参加の形). */
export const WANTS = [
  { code: "ibasho", label: "居場所" },
  { code: "koryu", label: "交流" },
  { code: "yakuwari", label: "役割" },
  { code: "manabi", label: "学び" },
  { code: "volunteer", label: "ボランティア" },
  { code: "work_trial", label: "就労体験" },
  { code: "work", label: "就労" },
] as const;
export type Want = (typeof WANTS)[number]["code"];
export const WANT_CODES = WANTS.map((w) => w.code) as [Want, ...Want[]];

export const TRANSPORTS = [
  { code: "walk", label: "徒歩", kmPerHour: 4 },
  { code: "bicycle", label: "自転車", kmPerHour: 12 },
  { code: "bus", label: "バス", kmPerHour: 15 },
  { code: "pickup", label: "送迎が必要", kmPerHour: 20 },
] as const;
export type Transport = (typeof TRANSPORTS)[number]["code"];
export const TRANSPORT_CODES = TRANSPORTS.map((t) => t.code) as [Transport, ...Transport[]];

/** 障害者手帳. 'none' = 手帳なし (the Komatsu case: productive work without a certificate). */
export const CERTIFICATES = [
  { code: "none", label: "手帳なし" },
  { code: "physical", label: "身体障害者手帳" },
  { code: "intellectual", label: "療育手帳" },
  { code: "mental", label: "精神障害者保健福祉手帳" },
  { code: "unknown", label: "不明" },
] as const;
export type Certificate = (typeof CERTIFICATES)[number]["code"];
export const CERTIFICATE_CODES = CERTIFICATES.map((c) => c.code) as [Certificate, ...Certificate[]];

/** The staged ladder (段階的な参加). Suggestions are grouped by step. */
export const LADDER_STEPS = [
  { step: 1, label: "見学・短時間から" },
  { step: 2, label: "居場所・交流" },
  { step: 3, label: "役割・活動" },
  { step: 4, label: "就労体験" },
  { step: 5, label: "就労" },
] as const;
export type LadderStep = (typeof LADDER_STEPS)[number]["step"];

export function ladderLabel(step: number): string {
  return LADDER_STEPS.find((s) => s.step === step)?.label ?? String(step);
}

function labelOf(list: readonly { code: string; label: string }[], code: string): string {
  return list.find((item) => item.code === code)?.label ?? code;
}
export const interestLabel = (code: string) => labelOf(INTERESTS, code);
export const wantLabel = (code: string) => labelOf(WANTS, code);
export const transportLabel = (code: string) => labelOf(TRANSPORTS, code);
export const certificateLabel = (code: string) => labelOf(CERTIFICATES, code);

/** The source key of the fictional sample venues (db/sample-data/resources.json), labelled サンプル in the UI. */
export const SAMPLE_SOURCE_KEY = "sample";
