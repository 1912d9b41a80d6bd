// Words in the search box that are really filters: 「火曜 午前 子育て」 means Tuesday-morning
// sessions about 子育て, not places whose text contains 火曜 and 午前 (no name or description
// says that; the schedules do). Engine-independent: the caller (the search API and the search
// page) runs interpretQueryWords on the query before handing it to any engine, so both engines
// see the same filters.
//
// Only whole words are taken (a term of the query, or a term made only of such words, e.g.
// 火曜午前, 火曜日の午前): 月 or 日 alone are too ambiguous (月 is also "month"), and a name that
// merely contains 朝 (朝日) is left alone because it is not a whole term.
import { normalizeText, queryTerms } from "./normalize";
import type { FacetField, SearchQuery } from "./types";

export interface QueryWord {
  /** The word as recognised (normalised). */
  word: string;
  field: Extract<FacetField, "weekdays" | "timeBands">;
  values: string[];
}

// Hiragana forms only where they are not also an everyday word or the start of one typed as you
// go: かよう is also 通う, あさ starts あさひ, よる and ひる start many names; 放課後 is a kind word
// (放課後児童クラブ), so it stays text.
const WEEKDAYS: [string[], string][] = [
  [["月曜", "月曜日", "げつよう", "げつようび"], "MO"],
  [["火曜", "火曜日", "かようび"], "TU"],
  [["水曜", "水曜日", "すいよう", "すいようび"], "WE"],
  [["木曜", "木曜日", "もくよう", "もくようび"], "TH"],
  [["金曜", "金曜日", "きんよう", "きんようび"], "FR"],
  [["土曜", "土曜日", "どよう", "どようび"], "SA"],
  [["日曜", "日曜日", "にちよう", "にちようび"], "SU"],
];

function buildWords(): Map<string, Omit<QueryWord, "word">> {
  const words = new Map<string, Omit<QueryWord, "word">>();
  const add = (list: string[], field: QueryWord["field"], values: string[]) => {
    for (const word of list) words.set(normalizeText(word), { field, values });
  };
  for (const [forms, code] of WEEKDAYS) add(forms, "weekdays", [code]);
  add(["平日", "へいじつ"], "weekdays", ["MO", "TU", "WE", "TH", "FR"]);
  add(["土日", "土日祝", "週末", "しゅうまつ", "どにち"], "weekdays", ["SA", "SU"]);
  add(["午前", "午前中", "ごぜん", "ごぜんちゅう", "朝"], "timeBands", ["morning"]);
  add(["午後", "ごご", "昼"], "timeBands", ["afternoon"]);
  add(["日中", "昼間", "にっちゅう"], "timeBands", ["morning", "afternoon"]);
  add(["夕方", "ゆうがた", "夜", "夜間"], "timeBands", ["evening"]);
  return words;
}

const WORDS = buildWords();
const LONGEST = Math.max(...[...WORDS.keys()].map((w) => w.length));
/** Joiners allowed between recognised words inside one term: 火曜日の午前, 火曜・午前. */
const JOINERS = new Set(["の", "・", "~", "-"]);

/** Splits a term made only of recognised words (and joiners); null when any part is not one. */
function splitWords(term: string): string[] | null {
  const found: string[] = [];
  let at = 0;
  while (at < term.length) {
    if (found.length > 0 && JOINERS.has(term[at])) {
      at++;
      continue;
    }
    let match = "";
    for (let length = Math.min(LONGEST, term.length - at); length > 0; length--) {
      const candidate = term.slice(at, at + length);
      if (WORDS.has(candidate)) {
        match = candidate;
        break;
      }
    }
    if (!match) return null;
    found.push(match);
    at += match.length;
  }
  return found;
}

export interface InterpretedQuery {
  /** The query with the recognised words taken out of the text and added to its filters. */
  query: SearchQuery;
  /** What was recognised, in order: for showing 「火曜」「午前」 as removable filter chips. */
  words: QueryWord[];
}

/**
 * Moves weekday and time-of-day words from the text into the weekdays / timeBands filters
 * (added to values already chosen: filters are ORed within a field). Other words stay in the
 * text, in order. A query without such words is returned unchanged (the same object).
 */
export function interpretQueryWords(query: SearchQuery): InterpretedQuery {
  if (!query || typeof query.text !== "string" || query.text.trim() === "") return { query, words: [] };
  const words: QueryWord[] = [];
  const kept: string[] = [];
  // Chunks between spaces are judged whole and kept as typed (サロン stays サロン, not さろん),
  // so the text can be shown back in the search box.
  for (const chunk of query.text.split(/\s+/u)) {
    if (chunk === "") continue;
    const terms = queryTerms(chunk);
    const parts = terms.map(splitWords);
    if (terms.length === 0 || parts.some((p) => p === null)) {
      kept.push(chunk);
      continue;
    }
    for (const part of parts.flat() as string[]) words.push({ word: part, ...WORDS.get(part)! });
  }
  if (words.length === 0) return { query, words };
  const filters = { ...(query.filters ?? {}) };
  for (const { field, values } of words) {
    const current = Array.isArray(filters[field]) ? filters[field] : [];
    filters[field] = [...new Set([...current, ...values])];
  }
  return { query: { ...query, text: kept.join(" "), filters }, words };
}
