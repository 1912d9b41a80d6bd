// The matching engine's contract: (needs, candidate resources, today) → ranked, explained, staged
// suggestions. The engine (engine.ts) is a pure function with no I/O; candidates are retrieved by
// candidates.server.ts (search engine geo radius + filters, then the database).
import type { ScheduleSummary } from "../../search/types";
import type { LadderStep } from "./vocabulary";

/** One resource as the engine sees it (public directory data only). */
export interface Candidate {
  id: number;
  name: string;
  kind: string;
  services: string[];
  description: string | null;
  activities: string[];
  targetGroups: string[];
  /** Participation conditions codes (db/vocabulary.ts CONDITIONS): kengaku, taiken, doko, techo_fuyo … */
  conditions: string[];
  costKind: string;
  costYen: number | null;
  capacity: number | null;
  area: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  /** 'active' | 'paused' | 'closed' */
  status: string;
  /** YYYY-MM-DD or null */
  lastVerifiedOn: string | null;
  schedules: ScheduleSummary[];
  hoursNote: string | null;
  /** True for the fictional sample entries (source key 'sample'), labelled サンプル in the UI. */
  sample: boolean;
}

export interface Suggestion {
  resourceId: number;
  name: string;
  kind: string;
  step: LadderStep;
  /** 0–100, higher is a better fit. */
  score: number;
  /** Plain Japanese, most important first: 「火曜午前の空き時間に開催」「自宅から1.2km」 … */
  reasons: string[];
  /** Things to be careful about, in Japanese (e.g. 「費用 300円」「最終確認から1年以上」). */
  cautions: string[];
  distanceKm: number | null;
  /** Next sessions (YYYY-MM-DD HH:MM) inside the person's time windows in the next 4 weeks. */
  nextSessions: string[];
  sample: boolean;
}

export interface Exclusion {
  resourceId: number;
  name: string;
  /** Why the place was excluded, in Japanese (「対象が子育て中の親子のみ」「自宅から8.4km（上限3km）」…). */
  reasons: string[];
}

export interface MatchResult {
  /** Ranked best first; diversity applied (the top results are not all one kind when others fit). */
  suggestions: Suggestion[];
  excluded: Exclusion[];
  /** excluded.length, known without building the reasons (matchNeeds builds them when `excluded` is first read). */
  excludedCount: number;
  /** The step the page starts from: needs.startStep or derived from wants/conditions. */
  startStep: LadderStep;
  /** True when no suggestion fits (an unmet need should be recorded). */
  unmet: boolean;
}

export interface MatchOptions {
  /** Maximum suggestions returned (default 30). */
  limit?: number;
  /**
   * The caller hands the same place objects again across calls, in new lists (retrieveCandidates
   * does): the engine then remembers its per-place work by object, not only per list.
   */
  reusesPlaces?: boolean;
}
