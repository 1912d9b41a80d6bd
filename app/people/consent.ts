// Consent (同意) vocabulary and the rules that depend only on the consent record. Browser-safe:
// the intake and detail pages use the labels. Who may see a person is decided in access.server.ts.

export const CONSENT_STATES = [
  { code: "agree", label: "同意" },
  { code: "disagree", label: "不同意" },
  { code: "unknown", label: "不明" },
] as const;
export type ConsentState = (typeof CONSENT_STATES)[number]["code"];
export const CONSENT_STATE_CODES = CONSENT_STATES.map((c) => c.code) as [ConsentState, ...ConsentState[]];

export function consentLabel(state: string | null | undefined): string {
  if (!state) return "未記録";
  return CONSENT_STATES.find((c) => c.code === state)?.label ?? state;
}

export function isConsentState(value: unknown): value is ConsentState {
  return typeof value === "string" && (CONSENT_STATE_CODES as readonly string[]).includes(value);
}

/** What staff usually ask the person to agree to; prefilled at intake. */
export const DEFAULT_CONSENT_SCOPE = "関係機関との情報共有・重層的支援会議での検討";

/** Health and disability fields: stored only once a consent event (any state) is recorded. */
export const SENSITIVE_FIELDS = ["healthNote", "disabilityNote", "certificate", "diagnosis"] as const;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

export const SENSITIVE_FIELD_LABELS: Record<SensitiveField, string> = {
  healthNote: "健康状態",
  disabilityNote: "障がいの状況",
  certificate: "障害者手帳",
  diagnosis: "診断名",
};

export const SENSITIVE_REFUSED = {
  message: "同意の記録がないため、健康・障がいに関する情報は保存できません。先に同意（同意・不同意・不明のいずれか）を記録してください。",
  messageEn: "Sensitive fields can be saved only after a consent event is recorded.",
};
