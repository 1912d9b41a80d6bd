// Meeting rules of the Social Welfare Act (issue 7), pure so the consent matrix can test them alone:
// - 支援会議 (art. 106-6, kind "support"): members bound by confidentiality may share a case
//   WITHOUT the person's consent (不同意 / 不明 too) — but nothing of a case is shown to a member
//   before they accept the confidentiality pledge (守秘義務の誓約).
// - 重層的支援会議 (kind "jusouteki", Nagaizumi's いちばんいい会議): only cases whose consent is 同意.
// - In meeting views a case is shown as initials + case number unless the viewer is authorised for
//   the person outside the meeting too (assigned staff, or an admin for a 同意 case).
// The people access module (app/people/access.server.ts) applies these rules for the meeting
// context; routes never decide visibility themselves.

export const MEETING_KINDS = [
  { code: "support", label: "支援会議", law: "社会福祉法第106条の6" },
  { code: "jusouteki", label: "重層的支援会議", law: "重層的支援体制整備事業実施要綱" },
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number]["code"];
export const meetingKindLabel = (code: string) => MEETING_KINDS.find((k) => k.code === code)?.label ?? code;

export type ConsentState = "agree" | "disagree" | "unknown";

export interface MeetingCaseFacts {
  meetingKind: MeetingKind;
  /** The person's latest consent, read in the same transaction. */
  consent: ConsentState | null;
  /** The viewer is a member of this meeting. */
  isMember: boolean;
  /** The member has accepted the confidentiality pledge for this meeting. */
  pledged: boolean;
  /** The case is on this meeting's agenda. */
  onAgenda: boolean;
}

export type MeetingCaseAccess = { visible: true } | { visible: false; reason: "not-member" | "pledge-required" | "not-on-agenda" | "consent-required" };

/** May this member see this case's content in this meeting? */
export function meetingCaseAccess(facts: MeetingCaseFacts): MeetingCaseAccess {
  if (!facts.isMember) return { visible: false, reason: "not-member" };
  if (!facts.onAgenda) return { visible: false, reason: "not-on-agenda" };
  if (facts.meetingKind === "jusouteki" && facts.consent !== "agree") return { visible: false, reason: "consent-required" };
  if (facts.meetingKind === "support" && !facts.pledged) return { visible: false, reason: "pledge-required" };
  return { visible: true };
}

/** May this case be put on a meeting of this kind at all? */
export function mayPutOnAgenda(meetingKind: MeetingKind, consent: ConsentState | null): boolean {
  return meetingKind === "support" || consent === "agree";
}

const KANA_INITIALS: [RegExp, string][] = [
  [/^[あアぁァ]/, "A"],
  [/^[いイぃィ]/, "I"],
  [/^[うウぅゥゔヴ]/, "U"],
  [/^[えエぇェ]/, "E"],
  [/^[おオぉォ]/, "O"],
  [/^[かきくけこカキクケコ]/, "K"],
  [/^[がぎぐげごガギグゲゴ]/, "G"],
  [/^[しシ]/, "S"],
  [/^[さすせそサスセソ]/, "S"],
  [/^[じジぢヂ]/, "J"],
  [/^[ざずぜぞザズゼゾづヅ]/, "Z"],
  [/^[ちチ]/, "C"],
  [/^[つツ]/, "T"],
  [/^[たてとタテト]/, "T"],
  [/^[だでどダデド]/, "D"],
  [/^[なにぬねのナニヌネノ]/, "N"],
  [/^[ふフ]/, "F"],
  [/^[はひへほハヒヘホ]/, "H"],
  [/^[ばびぶべぼバビブベボ]/, "B"],
  [/^[ぱぴぷぺぽパピプペポ]/, "P"],
  [/^[まみむめもマミムメモ]/, "M"],
  [/^[やゆよヤユヨゃゅょ]/, "Y"],
  [/^[らりるれろラリルレロ]/, "R"],
  [/^[わをワヲ]/, "W"],
];

/** 「やまだ はなこ」 → 「Y.H.」; Latin names → their first letters; unknown → 「—」. */
export function initialsOf(kana: string | null | undefined): string {
  const parts = (kana ?? "").normalize("NFKC").trim().split(/[\s・\u3000]+/).filter(Boolean);
  const letters = parts.map((part) => {
    const latin = /^[A-Za-z]/.exec(part);
    if (latin) return latin[0].toUpperCase();
    return KANA_INITIALS.find(([pattern]) => pattern.test(part))?.[1] ?? null;
  });
  if (letters.length === 0 || letters.some((l) => l === null)) return "—";
  return letters.map((l) => `${l}.`).join("");
}

/** How a case is labelled in a meeting view: the name only for viewers authorised outside it. */
export function meetingCaseLabel(person: { caseNumber: string; name: string; nameKana: string | null }, authorised: boolean): string {
  return authorised ? `${person.name}（${person.caseNumber}）` : `${initialsOf(person.nameKana)}（${person.caseNumber}）`;
}
