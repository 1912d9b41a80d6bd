// Japanese text normalisation shared by every search engine: documents and queries pass through
// the same folding (NFKC, lower case, katakana → hiragana, dash variants), so spellings match.
// Pure and dependency-free: the embedded engine, the Meilisearch documents and tests all use it.

/** Queries longer than this (in UTF-16 units, before normalising) are rejected by the engines. */
export const MAX_QUERY_LENGTH = 1000;
/** More terms than this add no precision, only cost: the rest are dropped. */
export const MAX_QUERY_TERMS = 8;
/** A term longer than this is cut (no field worth matching holds a longer unbroken word). */
export const MAX_TERM_LENGTH = 64;

// C0/C1 controls and format characters (zero-width space/joiner, BOM, bidi marks) are invisible
// and only ever break matching; lone surrogates cannot be normalised meaningfully.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
const WHITESPACE_CONTROL = /[\t\n\v\f\r\u0085]/g;
const WHITESPACE_RUN = /\s+/g;
const KATAKANA = /[\u30A1-\u30F6\u30FD\u30FE]/g;

// Every character people (and spreadsheets) use for either ー or -: hyphen, figure/en/em dash,
// horizontal bar, minus sign, box-drawing lines, small hyphen-minus, and the two long-vowel
// marks themselves. Old Excel data often writes センタ− with a minus sign.
const DASH_LIKE = /[\u002D\u02D7\u2010-\u2015\u2043\u2212\u2500\u2501\uFE58\uFE63\uFF0D\u30FC\uFF70]/;
const LONG_VOWEL = "\u30FC";
// Wave dash and full-width tilde are the same thing in 10:00〜12:00.
const TILDES = /[\u301C\uFF5E]/g;

function isKana(code: number): boolean {
  return (code >= 0x3041 && code <= 0x309f) || (code >= 0x30a1 && code <= 0x30ff);
}

/** Katakana → hiragana by code-point shift; ヶ/ヵ become け/か (霞ヶ関 = 霞ケ関). ー is kept. */
export function katakanaToHiragana(text: string): string {
  return text.replace(KATAKANA, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x30f5) return "か";
    if (code === 0x30f6) return "け";
    return String.fromCharCode(code - 0x60);
  });
}

/**
 * A dash after kana (or after another long-vowel mark) is a long-vowel mark ー; anywhere else it
 * is a hyphen, so 1−2−3 and 1ー2ー3 in addresses both become 1-2-3. Runs collapse to one.
 */
function unifyDashes(text: string): string {
  if (!DASH_LIKE.test(text)) return text;
  let out = "";
  let previous = "";
  for (const ch of text) {
    if (DASH_LIKE.test(ch)) {
      const prevCode = previous.charCodeAt(0);
      const mark = previous !== "" && isKana(prevCode) ? LONG_VOWEL : "-";
      if (previous === mark) continue;
      out += mark;
      previous = mark;
      continue;
    }
    out += ch;
    previous = ch;
  }
  return out;
}

/**
 * The one normal form for matching: NFKC (full-width Latin and digits, half-width katakana),
 * lower-case, katakana folded to hiragana, dash and tilde variants unified, control characters
 * stripped, whitespace (including U+3000) collapsed to single spaces and trimmed.
 */
export function normalizeText(input: string): string {
  if (!input) return "";
  let text = input.replace(WHITESPACE_CONTROL, " ").replace(INVISIBLE, "").normalize("NFKC");
  text = katakanaToHiragana(text.toLowerCase());
  text = unifyDashes(text);
  text = text.replace(TILDES, "~");
  return text.replace(WHITESPACE_RUN, " ").trim();
}

// Quotes and brackets are never part of what someone means to find (「子育て」, "サロン"), and
// the Japanese list separators join words a resident would type apart. They split terms.
// (Applied after normalizeText, so full-width forms such as ＂（，have already become ASCII.)
const QUERY_SEPARATORS = /["'`“”‘’„«»「」『』【】〈〉《》〔〕()[\]{}<>、。,;!?・|\\/]+/g;

/**
 * The words of a query, normalised: split on whitespace and quote/bracket/list punctuation,
 * empty and duplicate terms dropped, at most MAX_QUERY_TERMS terms of MAX_TERM_LENGTH each.
 */
export function queryTerms(text: string): string[] {
  const normalized = normalizeText(text).replace(QUERY_SEPARATORS, " ");
  const terms: string[] = [];
  for (const raw of normalized.split(" ")) {
    if (raw === "") continue;
    const term = truncateUnits(raw, MAX_TERM_LENGTH);
    if (!terms.includes(term)) terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncateUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

// ---------------------------------------------------------------------------------------------
// Index keys. The embedded engine indexes every character and every pair of adjacent characters
// (UTF-16 units) of normalised text as numbers: a unigram key is the unit itself (1..0xFFFF), a
// bigram key is first * 0x10000 + second (always > 0xFFFF, since normalised text has no NUL).
// A term of two or more units is looked up by its bigrams, a one-unit term by its unigram; the
// candidates are then verified by substring search, so keys only need to be a superset filter.

export function unigramKey(unit: number): number {
  return unit;
}

export function bigramKey(first: number, second: number): number {
  return first * 0x10000 + second;
}

/**
 * Calls `visit` with every unigram and bigram key of already normalised text. Keys spanning a
 * space are skipped: query terms never contain one.
 */
export function forEachIndexKey(normalized: string, visit: (key: number) => void): void {
  let previous = 0x20;
  for (let i = 0; i < normalized.length; i++) {
    const unit = normalized.charCodeAt(i);
    if (unit === 0x20) {
      previous = unit;
      continue;
    }
    visit(unit);
    if (previous !== 0x20) visit(bigramKey(previous, unit));
    previous = unit;
  }
}

/** The distinct keys that every field containing `term` (normalised, no spaces) must have. */
export function termKeys(term: string): number[] {
  if (term.length === 0) return [];
  if (term.length === 1) return [unigramKey(term.charCodeAt(0))];
  const keys = new Set<number>();
  for (let i = 1; i < term.length; i++) keys.add(bigramKey(term.charCodeAt(i - 1), term.charCodeAt(i)));
  return [...keys];
}

/** Character bigrams of normalised text as strings: for tests, debugging and other engines. */
export function characterBigrams(normalized: string): string[] {
  const grams: string[] = [];
  for (const word of normalized.split(" ")) {
    if (word.length === 1) grams.push(word);
    for (let i = 1; i < word.length; i++) grams.push(word.slice(i - 1, i + 1));
  }
  return grams;
}

// ---------------------------------------------------------------------------------------------
// Highlighting needs to know which original characters a normalised match came from. This
// variant normalises piece by piece (a base character with its combining or half-width voicing
// marks) and records, for every unit of the output, the original range it came from. It is
// slower than normalizeText, so it only runs on the few fields of the hits being shown.

export interface NormalizedWithOffsets {
  text: string;
  /** For each UTF-16 unit of `text`, the start index in the original string. */
  starts: number[];
  /** For each UTF-16 unit of `text`, the end index (exclusive) in the original string. */
  ends: number[];
}

const COMBINING = /^[\p{M}\uFF9E\uFF9F]$/u;
// Characters that normalise one-to-one (one UTF-16 unit in, one out): printable ASCII, CJK
// symbols and punctuation, hiragana, full-width katakana, CJK unified ideographs, full-width
// ASCII forms. Half-width katakana (voicing marks merge) and combining marks are not in it.
const ONE_TO_ONE = /^[\u0020-\u007E\u3000-\u303F\u3041-\u3096\u30A1-\u30FC\u4E00-\u9FFF\uFF01-\uFF5E]*$/;

export function normalizeWithOffsets(input: string): NormalizedWithOffsets {
  // Fast path for the usual name or address: every character maps to exactly one, and nothing
  // was collapsed or trimmed (only shrinking can happen here, so equal length proves it).
  if (ONE_TO_ONE.test(input)) {
    const text = normalizeText(input);
    if (text.length === input.length) {
      const starts = new Array<number>(text.length);
      const ends = new Array<number>(text.length);
      for (let i = 0; i < text.length; i++) {
        starts[i] = i;
        ends[i] = i + 1;
      }
      return { text, starts, ends };
    }
  }
  const pieces: { text: string; start: number; end: number }[] = [];
  let index = 0;
  for (const ch of input) {
    const start = index;
    index += ch.length;
    const last = pieces[pieces.length - 1];
    if (last && COMBINING.test(ch)) {
      last.text += ch;
      last.end = index;
      continue;
    }
    pieces.push({ text: ch, start, end: index });
  }

  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let previous = "";
  for (const piece of pieces) {
    let folded = piece.text.replace(WHITESPACE_CONTROL, " ").replace(INVISIBLE, "").normalize("NFKC").toLowerCase();
    folded = katakanaToHiragana(folded).replace(TILDES, "~");
    if (/^\s+$/.test(folded)) folded = " ";
    let out = "";
    for (const ch of folded) {
      let next = ch;
      if (DASH_LIKE.test(ch)) {
        next = previous !== "" && isKana(previous.charCodeAt(0)) ? LONG_VOWEL : "-";
        if (previous === next) continue;
      } else if (/\s/.test(ch)) {
        next = " ";
        // Collapse runs and drop leading whitespace, as normalizeText does.
        if (previous === " " || (text === "" && out === "")) continue;
      }
      out += next;
      previous = next;
    }
    for (let i = 0; i < out.length; i++) {
      starts.push(piece.start);
      ends.push(piece.end);
    }
    text += out;
  }
  // Trailing whitespace, as normalizeText trims it.
  while (text.endsWith(" ")) {
    text = text.slice(0, -1);
    starts.pop();
    ends.pop();
  }
  return { text, starts, ends };
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * HTML-escapes `original` and wraps the parts whose normalised form contains one of the
 * (normalised) terms in <mark>. Returns null when nothing matched.
 */
export function highlightTerms(original: string, terms: readonly string[]): string | null {
  if (!original || terms.length === 0) return null;
  const { text, starts, ends } = normalizeWithOffsets(original);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (!term) continue;
    let at = text.indexOf(term);
    while (at !== -1) {
      ranges.push([starts[at], ends[at + term.length - 1]]);
      at = text.indexOf(term, at + 1);
    }
  }
  if (ranges.length === 0) return null;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let html = "";
  let cursor = 0;
  let open: [number, number] | null = null;
  const flush = () => {
    if (!open) return;
    html += escapeHtml(original.slice(cursor, open[0])) + "<mark>" + escapeHtml(original.slice(open[0], open[1])) + "</mark>";
    cursor = open[1];
    open = null;
  };
  for (const [start, end] of ranges) {
    if (open && start <= open[1]) open[1] = Math.max(open[1], end);
    else {
      flush();
      open = [start, end];
    }
  }
  flush();
  return html + escapeHtml(original.slice(cursor));
}
