// The suggestions page's work: the latest assessment is read through the person gate (audited),
// then candidates are retrieved from the directory and ranked by the pure engine. Only the needs
// reach the engine; nothing about the person is written, logged or sent to the search engine's log.
import type { DatabaseHandle } from "../../db/client.server";
import type { SearchEngine } from "../../search/types";
import { loadCandidate, retrieveCandidates } from "~/matching/candidates.server";
import { explainCandidate, matchNeeds } from "~/matching/engine";
import { parseNeeds, type Needs } from "~/matching/needs";
import type { MatchResult, Suggestion } from "~/matching/types";
import { LADDER_STEPS, type LadderStep } from "~/matching/vocabulary";
import { withPerson, type Actor, type AuditMeta } from "./access.server";
import { latestAssessment, searchPublishedResources } from "./casework.server";
import { todayInTokyo } from "./people.server";

export interface SuggestionGroup {
  step: LadderStep;
  label: string;
  suggestions: Suggestion[];
}

/** Steps in page order: from the start step up the ladder, then the lower steps. */
export function groupByStep(result: Pick<MatchResult, "suggestions" | "startStep">): SuggestionGroup[] {
  const steps = LADDER_STEPS.map((s) => s.step as LadderStep);
  const ordered = [...steps.filter((s) => s >= result.startStep), ...steps.filter((s) => s < result.startStep)];
  return ordered
    .map((step) => ({
      step,
      label: LADDER_STEPS.find((s) => s.step === step)!.label,
      suggestions: result.suggestions.filter((s) => s.step === step),
    }))
    .filter((group) => group.suggestions.length > 0);
}

export type WhyAnswer =
  | { kind: "explained"; resourceId: number; name: string; excluded: boolean; reasons: string[]; cautions: string[] }
  | { kind: "choices"; query: string; choices: { id: number; name: string }[] }
  | { kind: "none"; query: string };

export async function suggestionsForPerson(
  handle: DatabaseHandle,
  engine: SearchEngine,
  input: { actor: Actor; caseNumber: string; why?: string | null; audit?: AuditMeta; now?: Date },
) {
  const gated = await withPerson(
    handle.db,
    { actor: input.actor, person: { caseNumber: input.caseNumber }, purpose: "合う場所の提案（マッチング）", action: "person.read", audit: input.audit },
    async (tx, ref) => {
      const assessment = await latestAssessment(tx, ref.id);
      return assessment ? { version: assessment.version, assessedOn: assessment.assessedOn, data: assessment.data } : null;
    },
  );
  if (gated.kind !== "ok") return { kind: "not-found" } as const;
  const assessment = gated.value;
  if (!assessment) return { kind: "no-assessment" } as const;
  const parsed = parseNeeds(assessment.data);
  if (!parsed.ok) return { kind: "invalid-assessment", errors: parsed.errors } as const;
  const needs: Needs = parsed.needs;
  const today = todayInTokyo(input.now);
  const candidates = await retrieveCandidates(handle, engine, needs);
  const result = matchNeeds(needs, candidates, today, { reusesPlaces: true });
  const why = input.why ? await answerWhy(handle, needs, input.why, today) : null;
  return {
    kind: "ok",
    version: assessment.version,
    assessedOn: assessment.assessedOn,
    startStep: result.startStep,
    groups: groupByStep(result),
    suggestionCount: result.suggestions.length,
    candidateCount: candidates.length,
    excludedCount: result.excludedCount,
    unmet: result.unmet,
    why,
  } as const;
}

/** 「この場所が除外された理由」 for a resource id or (part of) a name. */
async function answerWhy(handle: DatabaseHandle, needs: Needs, why: string, today: string): Promise<WhyAnswer> {
  const text = why.trim().normalize("NFKC").slice(0, 100);
  let resourceId: number | null = /^\d{1,9}$/.test(text) ? Number(text) : null;
  if (resourceId === null) {
    const found = await searchPublishedResources(handle.db, text, 10);
    if (found.length === 0) return { kind: "none", query: text };
    if (found.length > 1 && !found.some((f) => f.name === text)) return { kind: "choices", query: text, choices: found.map((f) => ({ id: f.id, name: f.name })) };
    resourceId = (found.find((f) => f.name === text) ?? found[0]).id;
  }
  const candidate = await loadCandidate(handle, resourceId);
  if (!candidate) return { kind: "none", query: text };
  const explained = explainCandidate(needs, candidate, today);
  return {
    kind: "explained",
    resourceId: candidate.id,
    name: candidate.name,
    excluded: explained.excluded,
    reasons: explained.reasons,
    cautions: explained.suggestion?.cautions ?? [],
  };
}
