// Directory searches for resident pages, answered by the search engine (no database round trip):
// the /places query and the counts on the home page. Engine errors become HTTP answers here:
// a query the engine refuses → 400, an engine that cannot answer → 503.
import { data } from "@remix-run/node";
import { getSearchEngine } from "../../search/engine.server";
import { kindLabel } from "../../db/vocabulary";
import type { SearchFilters, SearchHit, SearchQuery, SearchResult } from "../../search/types";
import { formatDistance } from "~/utils/format";
import { recentNextOccurrences, rememberedDescription, shortenText } from "~/utils/schedule";

/** Residents see active and paused places; closed ones are left out of every list. */
export const PUBLIC_STATUSES = ["active", "paused"];

function splitMessage(message: string): { message: string; messageEn?: string } {
  // Engines write 「日本語 (English)」.
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(message);
  return match ? { message: match[1], messageEn: match[2] } : { message };
}

/** Runs a query against the process-wide engine; always restricted to public statuses. */
export async function searchDirectory(query: SearchQuery): Promise<SearchResult> {
  const filters: SearchFilters = { status: PUBLIC_STATUSES };
  for (const [field, values] of Object.entries(query.filters ?? {}) as [keyof SearchFilters, string[] | undefined][]) {
    if (field !== "status" && values && values.length > 0) filters[field] = values;
  }
  try {
    return await getSearchEngine().search({ ...query, filters });
  } catch (error) {
    // Compare names, not classes: the engine may have been created by another copy of search/types
    // (the start script and the Remix bundle each load their own).
    const name = error instanceof Error ? error.name : "";
    if (name === "SearchQueryError") {
      throw data(splitMessage((error as Error).message), { status: 400 });
    }
    if (name === "SearchUnavailableError") {
      throw data(
        {
          message: "ただいま検索を利用できません。しばらくしてからもう一度お試しください。",
          messageEn: "Search is unavailable right now. Please try again shortly.",
        },
        { status: 503 }
      );
    }
    throw error;
  }
}

export interface CountedValue {
  value: string;
  count: number;
}

function sortedCounts(counts: Record<string, number> | undefined): CountedValue[] {
  return Object.entries(counts ?? {})
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, "ja"));
}

/** Counts for the home page entry points, from one facet query. */
export async function getDirectoryCounts() {
  const result = await searchDirectory({ facets: ["kind", "area", "targetGroups"], limit: 0 });
  return {
    total: result.total,
    kinds: sortedCounts(result.facets.kind),
    areas: sortedCounts(result.facets.area),
    targetGroups: sortedCounts(result.facets.targetGroups),
  };
}

/** Only what a result row and its map marker show: the list stays light to send and to render. */
export function toListedPlace({ document, distanceMeters }: SearchHit, now: Date) {
  const schedules = document.schedules ?? [];
  const next = recentNextOccurrences(schedules, now, 2);
  return {
    id: Number(document.id),
    name: document.name,
    kindLabel: document.kindLabel || kindLabel(document.kind),
    address: document.address,
    status: document.status,
    rule: rememberedDescription(schedules),
    nextDates: next.map((o) => o.label),
    hoursNote: schedules.length === 0 && document.hoursNote ? shortenText(document.hoursNote, 48) : null,
    distance: formatDistance(distanceMeters),
    location: document.location,
  };
}

export type ListedPlace = ReturnType<typeof toListedPlace>;
