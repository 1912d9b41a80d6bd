// 定着支援 (issue 7), the pure part: when to contact the person and the host after a placement
// starts, what is overdue, when a placement may be proposed as 定着, when the connection is
// falling, and the light contacts after 終結. Dates are calendar dates (YYYY-MM-DD, Asia/Tokyo);
// the clock is a parameter, so tests control it. No I/O.

/** Contacts are two-sided: with the person and with the host (受け入れ先への支援). */
export type FollowUpSide = "person" | "host";

export interface Offset {
  weeks?: number;
  months?: number;
}

/** After 1 week, 2 weeks, 1 month, 2 months, 3 months; then every 3 months (DESIGN / issue 7). */
export const DEFAULT_OFFSETS: readonly Offset[] = [{ weeks: 1 }, { weeks: 2 }, { months: 1 }, { months: 2 }, { months: 3 }];
export const DEFAULT_REPEAT_MONTHS = 3;
/** How far ahead a plan is generated (it is extended when a placement lasts longer). */
export const DEFAULT_HORIZON_MONTHS = 24;

export interface PlannedContact {
  dueOn: string;
  side: FollowUpSide;
}

function parse(date: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a date: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Adds days (calendar arithmetic in UTC, so no time zone can shift a day). */
export function addDays(date: string, days: number): string {
  const { y, m, d } = parse(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Adds months; the 31st becomes the last day of a shorter month (1月31日 + 1か月 = 2月28日). */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return format(year, month, Math.min(d, last));
}

export function applyOffset(date: string, offset: Offset): string {
  return addDays(addMonths(date, offset.months ?? 0), (offset.weeks ?? 0) * 7);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000);
}

/**
 * The follow-up plan of a placement that reached 見学/体験/参加中 on `startOn`: each due date twice,
 * once with the person and once with the host, in date order.
 */
export function generateFollowUpPlan(
  startOn: string,
  options: { offsets?: readonly Offset[]; repeatEveryMonths?: number; horizonMonths?: number } = {}
): PlannedContact[] {
  const offsets = options.offsets ?? DEFAULT_OFFSETS;
  const repeat = options.repeatEveryMonths ?? DEFAULT_REPEAT_MONTHS;
  const horizonEnd = addMonths(startOn, options.horizonMonths ?? DEFAULT_HORIZON_MONTHS);
  const dates = new Set(offsets.map((o) => applyOffset(startOn, o)));
  const lastMonths = Math.max(0, ...offsets.map((o) => o.months ?? 0));
  if (repeat > 0) {
    for (let months = lastMonths + repeat; ; months += repeat) {
      const due = addMonths(startOn, months);
      if (due > horizonEnd) break;
      dates.add(due);
    }
  }
  return [...dates]
    .filter((due) => due <= horizonEnd)
    .sort()
    .flatMap((dueOn) => [
      { dueOn, side: "person" as const },
      { dueOn, side: "host" as const },
    ]);
}

export type DueBucket = "overdue" | "today" | "this_week" | "later";

/** Where an open contact falls on the dashboard. "This week" = the next 7 days after today. */
export function dueBucket(dueOn: string, today: string): DueBucket {
  const days = daysBetween(today, dueOn);
  if (days < 0) return "overdue";
  if (days === 0) return "today";
  if (days <= 7) return "this_week";
  return "later";
}

/**
 * つながり評価: a short fixed scale, each item 1 (悪い/ない) … 4 (よい/十分). Issues raised are text
 * kept with the follow-up record, not part of the score.
 */
export const EVALUATION_ITEMS = [
  { code: "attendance", label: "参加の状況（予定どおり通えているか）" },
  { code: "relationships", label: "場での関係（受け入れ先の人や参加者との関係）" },
  { code: "feeling", label: "本人の気持ち（本人の満足・安心）" },
  { code: "hostView", label: "受け入れ先の評価" },
] as const;
export type EvaluationItem = (typeof EVALUATION_ITEMS)[number]["code"];
export const EVALUATION_SCALE = [
  { value: 1, label: "よくない" },
  { value: 2, label: "やや心配" },
  { value: 3, label: "おおむねよい" },
  { value: 4, label: "よい" },
] as const;

export type Evaluation = { on: string } & Partial<Record<EvaluationItem, number>>;

/** The mean of the items given (1–4), or null when none was rated. */
export function evaluationScore(evaluation: Evaluation): number | null {
  const values = EVALUATION_ITEMS.map((item) => evaluation[item.code]).filter((v): v is number => typeof v === "number");
  if (values.length === 0) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The threshold and period of the settled rule (settings; defaults from issue 7). */
export interface SettledRule {
  threshold: number;
  months: number;
}
export const DEFAULT_SETTLED_RULE: SettledRule = { threshold: 3, months: 3 };

/**
 * Propose 定着 when the evaluations have stayed at or above the threshold for the set period: the
 * unbroken run of good evaluations that ends with the latest one began at least `months` ago.
 * Staff confirm; this only proposes.
 */
export function shouldProposeSettled(evaluations: readonly Evaluation[], today: string, rule: SettledRule = DEFAULT_SETTLED_RULE): boolean {
  const scored = evaluations
    .map((e) => ({ on: e.on, score: evaluationScore(e) }))
    .filter((e): e is { on: string; score: number } => e.score !== null && e.on <= today)
    .sort((a, b) => a.on.localeCompare(b.on));
  let runStart: string | null = null;
  for (let i = scored.length - 1; i >= 0 && scored[i]!.score >= rule.threshold; i--) runStart = scored[i]!.on;
  return runStart !== null && addMonths(runStart, rule.months) <= today;
}

/** Falling: the last two scores each lower than the one before (two consecutive drops). */
export function isFalling(evaluations: readonly Evaluation[]): boolean {
  const scores = [...evaluations]
    .sort((a, b) => a.on.localeCompare(b.on))
    .map(evaluationScore)
    .filter((s): s is number => s !== null);
  if (scores.length < 3) return false;
  const [a, b, c] = scores.slice(-3) as [number, number, number];
  return b < a && c < b;
}

/**
 * A missed expected attendance: the person should have been at the place on an expected date
 * (a session date the placement expects them at) and no attendance was recorded on or after it
 * within `graceDays`.
 */
export function missedAttendance(expectedDates: readonly string[], attendedDates: readonly string[], today: string, graceDays = 0): string[] {
  const attended = new Set(attendedDates);
  return expectedDates.filter((date) => daysBetween(date, today) > graceDays && !attended.has(date));
}

/** After 終結: light contacts every 3 months for a year (the seeds ask to keep the connection). */
export function postTerminationContacts(endedOn: string, options: { everyMonths?: number; forMonths?: number } = {}): string[] {
  const every = options.everyMonths ?? 3;
  const total = options.forMonths ?? 12;
  const dates: string[] = [];
  for (let months = every; months <= total; months += every) dates.push(addMonths(endedOn, months));
  return dates;
}
