// The one reviewed list of search synonyms, used by both engines. Each group lists words that a
// resident may use for the same thing; a query word from a group also finds the others.
// Review rule: add a group only when a real query failed without it, and keep groups narrow
// (a word in two groups makes both groups match each other's words).
import { normalizeText } from "./normalize";

export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ["子育て", "育児", "子そだて"],
  ["サロン", "通いの場", "集いの場", "つどいの場", "ふれあいいきいきサロン"],
  ["B型", "就労継続支援B型", "B型作業所"],
  ["A型", "就労継続支援A型"],
  ["居場所", "フリースペース", "たまり場"],
  ["子ども食堂", "こども食堂", "子供食堂", "地域食堂"],
  ["公民館", "地域交流センター", "コミュニティセンター"],
  ["相談", "相談窓口", "相談支援"],
  ["地域包括", "地域包括支援センター", "包括"],
  ["デイサービス", "通所介護"],
  ["体操", "運動", "エクササイズ"],
  ["ひきこもり", "引きこもり", "引き籠もり"],
  ["障害", "障がい", "障碍"],
  ["児童館", "児童センター", "こども館"],
  ["作業所", "就労継続支援"],
];

/** Normalised word → the other normalised words of its groups. */
export function buildSynonymMap(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const group of groups) {
    const words = group.map(normalizeText);
    for (const word of words) {
      const others = map.get(word) ?? new Set<string>();
      for (const other of words) if (other !== word) others.add(other);
      map.set(word, others);
    }
  }
  return new Map([...map].map(([word, others]) => [word, [...others]]));
}

/** The same groups in Meilisearch's format (every word maps to the others), normalised. */
export function meilisearchSynonyms(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Record<string, string[]> {
  return Object.fromEntries(buildSynonymMap(groups));
}
