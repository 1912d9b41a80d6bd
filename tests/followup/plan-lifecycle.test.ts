// プラン lifecycle: legal transitions pass, illegal ones are refused with a Japanese reason.
import { describe, expect, test } from "vitest";
import { checkPlanTransition, type PlanFacts } from "../../app/plans/lifecycle";

const plan = (overrides: Partial<PlanFacts> = {}): PlanFacts => ({
  status: "evaluated",
  programmes: ["participation"],
  decided: false,
  hasEvaluationSheet: false,
  failedContactAttempts: 0,
  ...overrides,
});
const staff = { canDecide: false };
const admin = { canDecide: true };

describe("plan lifecycle", () => {
  test("実施 without 支援決定 is refused when the plan uses 参加支援 or アウトリーチ", () => {
    const refused = checkPlanTransition(plan(), "in_progress", admin);
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining("支援決定の後") });
    expect(checkPlanTransition(plan({ programmes: ["outreach"] }), "in_progress", admin).ok).toBe(false);
    expect(checkPlanTransition(plan({ status: "decided", decided: true }), "in_progress", staff)).toEqual({ ok: true });
  });

  test("a plan without them is only reported: 実施 after 会議で評価, and 支援決定 is not offered", () => {
    expect(checkPlanTransition(plan({ programmes: ["multi_agency"] }), "in_progress", staff)).toEqual({ ok: true });
    expect(checkPlanTransition(plan({ programmes: ["multi_agency"] }), "decided", admin).ok).toBe(false);
  });

  test("only an admin records 支援決定", () => {
    expect(checkPlanTransition(plan(), "decided", staff)).toEqual({ ok: false, reason: expect.stringContaining("管理者") });
    expect(checkPlanTransition(plan(), "decided", admin)).toEqual({ ok: true });
  });

  test("中断 needs recorded contact attempts; 終結 needs the evaluation sheet", () => {
    expect(checkPlanTransition(plan({ status: "in_progress" }), "interrupted", staff).ok).toBe(false);
    expect(checkPlanTransition(plan({ status: "in_progress", failedContactAttempts: 3 }), "interrupted", staff)).toEqual({ ok: true });
    expect(checkPlanTransition(plan({ status: "in_progress" }), "closed", staff)).toEqual({ ok: false, reason: expect.stringContaining("評価シート") });
    expect(checkPlanTransition(plan({ status: "in_progress", hasEvaluationSheet: true }), "closed", staff)).toEqual({ ok: true });
  });

  test.each([
    ["draft", "in_progress"],
    ["draft", "closed"],
    ["closed", "in_progress"],
    ["interrupted", "draft"],
    ["replanning", "in_progress"],
  ] as const)("%s → %s is refused", (from, to) => {
    const result = checkPlanTransition(plan({ status: from, decided: true, hasEvaluationSheet: true }), to, admin);
    expect(result.ok).toBe(false);
  });
});
