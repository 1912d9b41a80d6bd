// The placement (つなぎ) lifecycle: 提案 → 見学 → 体験 → 参加中 → 定着, or 中断 / 終了. Pure, so the
// legal transitions are unit-tested alone; placements.server.ts refuses anything else.
// Issue 7 hangs the follow-up schedule on reaching 見学 / 体験 / 参加中.

export const PLACEMENT_STATUSES = [
  { code: "proposed", label: "提案" },
  { code: "visit", label: "見学" },
  { code: "trial", label: "体験" },
  { code: "active", label: "参加中" },
  { code: "settled", label: "定着" },
  { code: "suspended", label: "中断" },
  { code: "ended", label: "終了" },
] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number]["code"];
export const PLACEMENT_STATUS_CODES = PLACEMENT_STATUSES.map((s) => s.code) as [PlacementStatus, ...PlacementStatus[]];

/** The ladder of the placement itself, in order. */
const FORWARD: readonly PlacementStatus[] = ["proposed", "visit", "trial", "active", "settled"];

/**
 * Legal next states. Forward one step at a time (見学 and 体験 on the same day are two events);
 * 中断 and 終了 from any state that is not final; a 中断 placement may resume at 見学, 体験 or 参加中,
 * or end. 終了 is final.
 */
export function nextStatuses(from: PlacementStatus): PlacementStatus[] {
  if (from === "ended") return [];
  if (from === "suspended") return ["visit", "trial", "active", "ended"];
  const index = FORWARD.indexOf(from);
  const forward = index >= 0 && index < FORWARD.length - 1 ? [FORWARD[index + 1]] : [];
  return [...forward, "suspended", "ended"];
}

export function isLegalTransition(from: string, to: string): boolean {
  return isPlacementStatus(from) && isPlacementStatus(to) && nextStatuses(from).includes(to);
}

export function isFinalStatus(status: string): boolean {
  return status === "ended";
}

export function isPlacementStatus(value: unknown): value is PlacementStatus {
  return typeof value === "string" && (PLACEMENT_STATUS_CODES as readonly string[]).includes(value);
}

export function placementStatusLabel(status: string | null | undefined): string {
  if (!status) return "—";
  return PLACEMENT_STATUSES.find((s) => s.code === status)?.label ?? status;
}

/** The button text for moving to a state (「見学を記録」…). */
export function transitionLabel(to: PlacementStatus, from?: PlacementStatus): string {
  if (from === "suspended" && to !== "ended") return `${placementStatusLabel(to)}として再開`;
  return `${placementStatusLabel(to)}を記録`;
}
