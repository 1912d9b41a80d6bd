// プラン lifecycle (issue 7), the pure part: which transitions are legal and why not, in Japanese.
//   作成 → 会議で評価 → 支援決定 → 実施 → 再プラン → (会議で評価 …) → 終結 | 中断
// - 支援決定 is an administrator's decision and is required before 実施 when the plan uses 参加支援
//   or アウトリーチ; a plan using neither is only reported to the meeting and may go to 実施 after
//   会議で評価 (Nagaizumi §5-5, §6).
// - 終結 needs the evaluation sheet (評価シート: goal attainment, supporters' status, need for
//   follow-up); 中断 only when contact is completely lost, with the contact attempts recorded.
// - Every plan needs the person's consent 同意 (checked by the people access module, not here).

export const PLAN_STATUSES = [
  { code: "draft", label: "作成" },
  { code: "evaluated", label: "会議で評価" },
  { code: "decided", label: "支援決定" },
  { code: "in_progress", label: "実施" },
  { code: "replanning", label: "再プラン" },
  { code: "closed", label: "終結" },
  { code: "interrupted", label: "中断" },
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number]["code"];
export const planStatusLabel = (code: string) => PLAN_STATUSES.find((s) => s.code === code)?.label ?? code;

/** Programmes a plan may use; the first two need 支援決定. */
export const PLAN_PROGRAMMES = [
  { code: "participation", label: "参加支援", needsDecision: true },
  { code: "outreach", label: "アウトリーチ等を通じた継続的支援", needsDecision: true },
  { code: "multi_agency", label: "多機関協働", needsDecision: false },
  { code: "consultation", label: "包括的相談支援", needsDecision: false },
  { code: "community", label: "地域づくり", needsDecision: false },
] as const;
export type PlanProgramme = (typeof PLAN_PROGRAMMES)[number]["code"];

export interface PlanFacts {
  status: PlanStatus;
  programmes: readonly string[];
  /** An admin's 支援決定 recorded for the current version. */
  decided: boolean;
  /** The evaluation sheet (評価シート) is filled in. */
  hasEvaluationSheet: boolean;
  /** Recorded attempts to reach the person that failed (for 中断). */
  failedContactAttempts: number;
}

export interface Actor {
  /** May record 支援決定 (permission decide:support). */
  canDecide: boolean;
}

const NEXT: Record<PlanStatus, readonly PlanStatus[]> = {
  draft: ["evaluated", "interrupted"],
  evaluated: ["decided", "in_progress", "replanning", "interrupted"],
  decided: ["in_progress", "replanning", "interrupted"],
  in_progress: ["replanning", "closed", "interrupted"],
  replanning: ["evaluated", "interrupted"],
  closed: [],
  interrupted: [],
};

/** The minimum failed contact attempts before 中断 may be chosen. */
export const MIN_FAILED_ATTEMPTS_FOR_INTERRUPTION = 3;

export function needsSupportDecision(programmes: readonly string[]): boolean {
  return PLAN_PROGRAMMES.some((p) => p.needsDecision && programmes.includes(p.code));
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkPlanTransition(plan: PlanFacts, to: PlanStatus, actor: Actor): TransitionCheck {
  const from = plan.status;
  if (!NEXT[from].includes(to)) {
    return { ok: false, reason: `「${planStatusLabel(from)}」から「${planStatusLabel(to)}」には進めません。` };
  }
  if (to === "decided") {
    if (!actor.canDecide) return { ok: false, reason: "支援決定は管理者（市町村）だけが記録できます。" };
    if (!needsSupportDecision(plan.programmes)) {
      return { ok: false, reason: "参加支援・アウトリーチを使わないプランは支援決定の対象ではありません（会議への報告のみ）。" };
    }
  }
  if (to === "in_progress" && needsSupportDecision(plan.programmes) && !plan.decided) {
    return { ok: false, reason: "参加支援またはアウトリーチを使うプランは、支援決定の後でなければ実施できません。" };
  }
  if (to === "closed" && !plan.hasEvaluationSheet) {
    return { ok: false, reason: "終結には評価シート（目標の達成状況、支援者の状況、フォローアップの必要性）の記入が必要です。" };
  }
  if (to === "interrupted" && plan.failedContactAttempts < MIN_FAILED_ATTEMPTS_FOR_INTERRUPTION) {
    return {
      ok: false,
      reason: `中断は本人と完全に連絡が取れなくなったときだけ選べます。連絡を試みた記録が${MIN_FAILED_ATTEMPTS_FOR_INTERRUPTION}回以上必要です（現在${plan.failedContactAttempts}回）。`,
    };
  }
  return { ok: true };
}

/** Statuses that put the plan on the 重層的支援会議's agenda (evaluation, re-plan, end, interruption). */
export function needsMeeting(status: PlanStatus, pendingTo: PlanStatus | null): boolean {
  return status === "draft" || status === "replanning" || pendingTo === "closed" || pendingTo === "interrupted";
}
