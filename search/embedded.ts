// The embedded in-process search engine (the default when no Meilisearch is configured): an
// inverted index over character unigrams and bigrams of normalised Japanese text, with facets,
// filters, geo radius/bounding box and sorting, all held in memory.
//
// Layout, chosen for 100k documents at a few milliseconds per query:
// - Field texts are interned: each distinct normalised text of a field (a kind label shared by
//   10,000 salons, a stock description) is stored, keyed and checked once, and knows its
//   documents. Bigram postings point at texts, not documents; a term is matched against texts
//   (substring check) and only then expanded to documents.
// - Per-document data lives in typed columns indexed by document number (coordinates, update
//   time, text ids, facet values), and sets of documents are bitsets, so filters and facet
//   counts are word operations instead of walks over objects.
// Document numbers only grow: an update gives the document a new number and the old one dies
// (cleared from `alive`); stale entries are skipped and compaction rebuilds when they pile up.

import {
  FACET_FIELDS,
  type BoundingBox,
  type EngineHealth,
  type FacetField,
  type GeoPoint,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from "./types";
import { forEachIndexKey, highlightTerms, MAX_TERM_LENGTH, normalizeText, termKeys } from "./normalize";
import { validateSearchQuery, type SearchSort } from "./query";
import { buildSynonymMap, SYNONYM_GROUPS } from "./synonyms";

export { DEFAULT_LIMIT, MAX_FILTER_VALUES, MAX_LIMIT } from "./query";

/** Searchable fields, strongest first. */
const SEARCH_FIELDS = ["name", "reading", "kind", "activities", "description", "area", "address"] as const;
const FIELD_COUNT = SEARCH_FIELDS.length;
const FIELD_WEIGHTS = [10, 8, 6, 4, 3, 2, 1];
const NAME = 0;
const READING = 1;
/** Highlighted fields and their field numbers in SEARCH_FIELDS. */
const HIGHLIGHT_FIELDS = [
  ["name", 0],
  ["description", 4],
  ["address", 6],
] as const;
/** Fields whose texts repeat across documents: their normalisation is cached during a build. */
const REPEATING_FIELDS = new Set([2, 3, 4, 5]);

const EXACT_NAME_BONUS = 10;
const NAME_PREFIX_BONUS = 3;
const READING_PREFIX_BONUS = 2;
const EXTRA_NAME_TERM_BONUS = 3;

/** Documents are indexed in chunks of this size, yielding between them, so a rebuild of 100k
 * documents does not stall requests that are still answered from the old index. */
const BUILD_CHUNK = 5000;
/** Removed documents leave stale postings behind; compact once they outnumber the live ones. */
const COMPACT_MIN_REMOVED = 1000;

const EARTH_RADIUS_METERS = 6_371_008.8;

const FACET_COUNT = FACET_FIELDS.length;
const collator = new Intl.Collator("ja", { numeric: true });

// ---------------------------------------------------------------------------------------------
// Small typed building blocks

/** A growable list of non-negative integers, appended in ascending order where it is a posting. */
class IntList {
  items: Int32Array;
  length = 0;

  constructor(initial = 2) {
    this.items = new Int32Array(initial);
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }

  last(): number {
    return this.length === 0 ? -1 : this.items[this.length - 1];
  }

  trim(): void {
    if (this.items.length > this.length) this.items = this.items.slice(0, this.length);
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function countBits(bits: Uint32Array): number {
  let total = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) total += popcount(bits[w]);
  return total;
}

function hasBit(bits: Uint32Array, n: number): boolean {
  return (bits[n >>> 5] & (1 << (n & 31))) !== 0;
}

/** Calls `visit` with every set bit's number, ascending. */
function forEachBit(bits: Uint32Array, visit: (n: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const lowest = word & -word;
      visit((w << 5) + 31 - Math.clz32(lowest));
      word ^= lowest;
    }
  }
}

function grownFloat(old: Float64Array, size: number, fill: number): Float64Array {
  const next = new Float64Array(size).fill(fill);
  next.set(old);
  return next;
}

function grownInt(old: Int32Array, size: number, fill: number): Int32Array {
  const next = new Int32Array(size).fill(fill);
  next.set(old);
  return next;
}

function grownBits(old: Uint32Array, words: number): Uint32Array {
  const next = new Uint32Array(words);
  next.set(old);
  return next;
}

// ---------------------------------------------------------------------------------------------

interface FacetDictionary {
  ids: Map<string, number>;
  values: string[];
  /** Per value: which documents have it (dead documents may linger; always AND with alive). */
  bits: Uint32Array[];
  /** Every document's value ids, flat, in document-number order (see `offsets`). */
  flat: IntList;
  /** offsets[n]..offsets[n + 1] is document n's slice of `flat`. */
  offsets: Uint32Array;
}

/** One complete index. replaceAll builds a new one beside the old and swaps the reference. */
class IndexState {
  capacity = 0;
  words = 0;
  /** Next document number. */
  count = 0;
  live = 0;
  removed = 0;

  documents: (SearchDocument | undefined)[] = [];
  byId = new Map<string, number>();
  alive: Uint32Array = new Uint32Array(0);
  lat: Float64Array = new Float64Array(0);
  lon: Float64Array = new Float64Array(0);
  updated: Float64Array = new Float64Array(0);

  /**
   * Interned texts: id → normalised text, with typed columns for its field and length. Their
   * documents are packed into one array after a bulk build (packedStart/packedDocs, no object per
   * text to chase); documents added later go to a small per-text list in textDocLists.
   */
  texts: string[] = [];
  textField: Uint8Array = new Uint8Array(1024);
  textLength: Int32Array = new Int32Array(1024);
  textDocCount: Int32Array = new Int32Array(1024);
  packedTexts = 0;
  packedStart: Int32Array = new Int32Array(1);
  packedDocs: Int32Array = new Int32Array(0);
  textDocLists: (IntList | undefined)[] = [];
  /** (text, document) pairs collected during a bulk build, packed by finishBulk. */
  private bulkPairs: { texts: IntList; docs: IntList } | null = null;
  private textIds: Map<string, number>[] = SEARCH_FIELDS.map(() => new Map());
  /** Per field, per document number: the id of the document's text (-1: empty). */
  docText: Int32Array[] = SEARCH_FIELDS.map(() => new Int32Array(0));
  /** Unigram/bigram key → ids of the texts containing it, ascending. */
  postings = new Map<number, IntList>();
  /** Geo grid: cell → document numbers located in it (dead ones linger; check alive). */
  grid = new Map<number, IntList>();

  facets: FacetDictionary[] = FACET_FIELDS.map(() => ({
    ids: new Map(),
    values: [],
    bits: [],
    flat: new IntList(1024),
    offsets: new Uint32Array(1),
  }));

  /** Reading (hiragana) when known, else the normalised name: the primary name-order key. */
  private sortKeys: string[] = [];
  /** Live document numbers in name order (reading, then name, Japanese collation). */
  nameOrder: number[] = [];
  private rank: Uint32Array = new Uint32Array(0);
  private rankStale = true;
  private allFacetCounts: Int32Array[] | null = null;
  /** Normalisation cache for repeating fields, used during bulk builds only. */
  private normalized: Map<string, string> | null = null;

  // Scratch space for text matching, one slot per document number (searches run synchronously,
  // so one set per index is enough). Every user resets what it touched.
  termBest = new Float64Array(0);
  termName = new Uint8Array(0);
  termsMatched = new Uint8Array(0);
  scoreSum = new Float64Array(0);
  nameHits = new Uint8Array(0);
  candidatesA = new Int32Array(0);
  candidatesB = new Int32Array(0);
  // Scratch space per text id (best score of a term, bigram counts of a typo term); zeroed by users.
  private scratchScores = new Float64Array(0);
  private scratchCounts = new Uint16Array(0);

  textScores(): Float64Array {
    if (this.scratchScores.length < this.texts.length) this.scratchScores = new Float64Array(this.textField.length);
    return this.scratchScores;
  }

  textCounts(): Uint16Array {
    if (this.scratchCounts.length < this.texts.length) this.scratchCounts = new Uint16Array(this.textField.length);
    return this.scratchCounts;
  }

  ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, this.capacity * 2, 1024);
    const words = (capacity + 31) >>> 5;
    this.alive = grownBits(this.alive, words);
    this.lat = grownFloat(this.lat, capacity, NaN);
    this.lon = grownFloat(this.lon, capacity, NaN);
    this.updated = grownFloat(this.updated, capacity, 0);
    this.docText = this.docText.map((column) => grownInt(column, capacity, -1));
    for (const facet of this.facets) {
      facet.bits = facet.bits.map((bits) => grownBits(bits, words));
      const offsets = new Uint32Array(capacity + 1);
      offsets.set(facet.offsets);
      facet.offsets = offsets;
    }
    this.termBest = new Float64Array(capacity);
    this.termName = new Uint8Array(capacity);
    this.termsMatched = new Uint8Array(capacity);
    this.scoreSum = new Float64Array(capacity);
    this.nameHits = new Uint8Array(capacity);
    this.candidatesA = new Int32Array(capacity);
    this.candidatesB = new Int32Array(capacity);
    this.capacity = capacity;
    this.words = words;
  }

  beginBulk(expected: number): void {
    this.ensureCapacity(expected);
    this.normalized = new Map();
    this.bulkPairs = { texts: new IntList(expected * 4 + 16), docs: new IntList(expected * 4 + 16) };
  }

  /** Adds (or replaces) one document. During a bulk build, name order is sorted once at the end. */
  add(source: SearchDocument): void {
    if (this.byId.has(source.id)) this.delete(source.id);
    this.ensureCapacity(this.count + 1);
    const n = this.count++;
    // A shallow copy, so a caller reusing its object cannot change what the index returns.
    const document: SearchDocument = { ...source };
    this.documents[n] = document;
    this.byId.set(document.id, n);
    this.alive[n >>> 5] |= 1 << (n & 31);
    this.live++;

    const location = document.location;
    if (location != null && Number.isFinite(location.lat) && Number.isFinite(location.lon)) {
      this.lat[n] = location.lat;
      this.lon[n] = location.lon;
      const cell = gridCell(location.lat, location.lon);
      let list = this.grid.get(cell);
      if (!list) {
        list = new IntList(4);
        this.grid.set(cell, list);
      }
      list.push(n);
    }
    this.updated[n] = Number.isFinite(document.updatedAt) ? document.updatedAt : 0;

    const fieldTexts = [
      document.name,
      document.reading,
      [document.kindLabel, ...(document.services ?? [])].filter(Boolean).join(" "),
      (document.activities ?? []).join(" "),
      document.description,
      document.area,
      document.address,
    ];
    for (let field = 0; field < FIELD_COUNT; field++) {
      const text = this.normalize(fieldTexts[field] ?? "", field);
      if (text === "") continue;
      const id = this.internText(field, text);
      this.docText[field][n] = id;
      this.addTextDocument(id, n);
    }

    for (let f = 0; f < FACET_COUNT; f++) {
      const facet = this.facets[f];
      const start = facet.flat.length;
      for (const value of facetValues(document, FACET_FIELDS[f])) {
        let id = facet.ids.get(value);
        if (id === undefined) {
          id = facet.values.length;
          facet.ids.set(value, id);
          facet.values.push(value);
          facet.bits.push(new Uint32Array(this.words));
        }
        let seen = false;
        for (let i = start; i < facet.flat.length; i++) if (facet.flat.items[i] === id) seen = true;
        if (seen) continue;
        facet.flat.push(id);
        facet.bits[id][n >>> 5] |= 1 << (n & 31);
      }
      facet.offsets[n + 1] = facet.flat.length;
    }

    const readingId = this.docText[READING][n];
    const nameId = this.docText[NAME][n];
    this.sortKeys[n] = readingId >= 0 ? this.texts[readingId] : nameId >= 0 ? this.texts[nameId] : "";
    if (this.bulkPairs) this.nameOrder.push(n);
    else this.nameOrder.splice(this.nameSlot(n), 0, n);
    this.changed();
  }

  delete(id: string): boolean {
    const n = this.byId.get(id);
    if (n === undefined) return false;
    const slot = this.nameSlot(n);
    if (this.nameOrder[slot] === n) this.nameOrder.splice(slot, 1);
    else this.nameOrder = this.nameOrder.filter((m) => m !== n); // during a bulk load, before sorting
    this.documents[n] = undefined;
    this.byId.delete(id);
    this.alive[n >>> 5] &= ~(1 << (n & 31));
    this.live--;
    this.removed++;
    this.changed();
    return true;
  }

  /** After a bulk load: sort the name order once, pack the text documents, shrink postings. */
  finishBulk(): void {
    this.normalized = null;
    this.nameOrder.sort((a, b) => this.compareNames(a, b));
    for (const posting of this.postings.values()) posting.trim();
    for (const cell of this.grid.values()) cell.trim();
    const pairs = this.bulkPairs;
    this.bulkPairs = null;
    if (pairs) {
      // Counting sort by text id; documents stay ascending within each text.
      const textCount = this.texts.length;
      const start = new Int32Array(textCount + 1);
      for (let i = 0; i < pairs.texts.length; i++) start[pairs.texts.items[i] + 1]++;
      for (let t = 0; t < textCount; t++) start[t + 1] += start[t];
      const fill = start.slice(0, textCount);
      const docs = new Int32Array(pairs.docs.length);
      for (let i = 0; i < pairs.texts.length; i++) docs[fill[pairs.texts.items[i]]++] = pairs.docs.items[i];
      this.packedTexts = textCount;
      this.packedStart = start;
      this.packedDocs = docs;
    }
    this.changed();
  }

  needsCompaction(): boolean {
    return this.removed >= COMPACT_MIN_REMOVED && this.removed > this.live;
  }

  liveDocuments(): SearchDocument[] {
    return this.nameOrder.map((n) => this.documents[n]!);
  }

  /** Position of each document number in name order, for sorting and tie-breaks. */
  ranks(): Uint32Array {
    if (this.rankStale) {
      if (this.rank.length < this.capacity) this.rank = new Uint32Array(this.capacity);
      for (let i = 0; i < this.nameOrder.length; i++) this.rank[this.nameOrder[i]] = i;
      this.rankStale = false;
    }
    return this.rank;
  }

  /** Facet counts over every live document: the landing page asks for these constantly. */
  facetCountsOfAll(): Int32Array[] {
    if (!this.allFacetCounts) {
      this.allFacetCounts = this.facets.map((facet) => {
        const counts = new Int32Array(facet.values.length);
        for (let v = 0; v < counts.length; v++) {
          const bits = facet.bits[v];
          let total = 0;
          for (let w = 0; w < this.words; w++) if (bits[w] !== 0) total += popcount(bits[w] & this.alive[w]);
          counts[v] = total;
        }
        return counts;
      });
    }
    return this.allFacetCounts;
  }

  private normalize(raw: string, field: number): string {
    if (!raw) return "";
    if (!this.normalized || !REPEATING_FIELDS.has(field)) return normalizeText(raw);
    let text = this.normalized.get(raw);
    if (text === undefined) {
      text = normalizeText(raw);
      if (this.normalized.size > 50_000) this.normalized.clear(); // bound memory on unique texts
      this.normalized.set(raw, text);
    }
    return text;
  }

  private internText(field: number, text: string): number {
    const known = this.textIds[field].get(text);
    if (known !== undefined) return known;
    const id = this.texts.length;
    if (id === this.textField.length) {
      const size = id * 2;
      const field8 = new Uint8Array(size);
      field8.set(this.textField);
      this.textField = field8;
      this.textLength = grownInt(this.textLength, size, 0);
      this.textDocCount = grownInt(this.textDocCount, size, 0);
    }
    this.texts.push(text);
    this.textField[id] = field;
    this.textLength[id] = text.length;
    this.textIds[field].set(text, id);
    forEachIndexKey(text, (key) => {
      let posting = this.postings.get(key);
      if (!posting) {
        posting = new IntList(1);
        this.postings.set(key, posting);
      }
      // Text ids arrive in ascending order, so a key repeated within this text shows up last.
      if (posting.last() !== id) posting.push(id);
    });
    return id;
  }

  private addTextDocument(id: number, n: number): void {
    this.textDocCount[id]++;
    if (this.bulkPairs) {
      this.bulkPairs.texts.push(id);
      this.bulkPairs.docs.push(n);
      return;
    }
    let list = this.textDocLists[id];
    if (!list) {
      list = new IntList(2);
      this.textDocLists[id] = list;
    }
    list.push(n);
  }

  private changed(): void {
    this.rankStale = true;
    this.allFacetCounts = null;
  }

  private compareNames(a: number, b: number): number {
    const da = this.documents[a]!;
    const db = this.documents[b]!;
    return (
      collator.compare(this.sortKeys[a], this.sortKeys[b]) ||
      collator.compare(da.name, db.name) ||
      (da.id < db.id ? -1 : da.id > db.id ? 1 : 0)
    );
  }

  /** Binary search for where document `n` belongs (or is) in nameOrder. */
  private nameSlot(n: number): number {
    let lo = 0;
    let hi = this.nameOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareNames(this.nameOrder[mid], n) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function facetValues(document: SearchDocument, field: FacetField): string[] {
  const value: unknown = document[field];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string" && v !== "");
  return typeof value === "string" && value !== "" ? [value] : [];
}

// ---------------------------------------------------------------------------------------------
// Query planning. Validation is shared by every engine (search/query.ts), so all of them refuse
// the same queries; the plan maps the validated query onto this index's facet value ids.

interface Plan {
  terms: string[];
  filterFields: number[];
  /** Per filtered field: the ids of the wanted values that exist in the index. */
  wanted: number[][];
  facetFields: number[];
  radius: { lat: number; lon: number; meters: number; latDelta: number } | null;
  box: BoundingBox | null;
  origin: GeoPoint | null;
  distanceFrom: GeoPoint | null;
  sort: SearchSort;
  offset: number;
  limit: number;
}

function plan(query: SearchQuery, state: IndexState): Plan {
  const v = validateSearchQuery(query);
  const filterFields: number[] = [];
  const wanted: number[][] = [];
  for (const { field, values } of v.filters) {
    const f = FACET_FIELDS.indexOf(field);
    const facet = state.facets[f];
    const ids: number[] = [];
    for (const value of values) {
      const id = facet.ids.get(value);
      if (id !== undefined) ids.push(id);
    }
    filterFields.push(f);
    wanted.push(ids);
  }
  const radius = v.radius
    ? {
        lat: v.radius.center.lat,
        lon: v.radius.center.lon,
        meters: v.radius.radiusMeters,
        latDelta: (v.radius.radiusMeters / EARTH_RADIUS_METERS) * (180 / Math.PI),
      }
    : null;
  return {
    terms: v.terms,
    filterFields,
    wanted,
    facetFields: v.facets.map((field) => FACET_FIELDS.indexOf(field)),
    radius,
    box: v.boundingBox,
    origin: v.origin,
    distanceFrom: v.distanceFrom,
    sort: v.sort,
    offset: v.offset,
    limit: v.limit,
  };
}

// ---------------------------------------------------------------------------------------------
// Text matching
//
// A query term matches a text in one of three ways:
// - DIRECT: the text contains the term (substring, so a prefix typed so far matches too);
// - SYNONYM: the text contains a word of the term's synonym group (search/synonyms.ts);
// - TYPO: only when neither finds anything, and only for terms of TYPO_MIN_LENGTH characters or
//   more, the text contains a stretch one edit (substitution, insertion, deletion) away.
// A direct match anywhere outranks a synonym match anywhere (通所介護 in a kind label beats
// デイサービス in a name): direct scores are at least 0.75 (the address weight × 0.75), synonym
// scores at most 0.7; within each, the field weights keep their order. Typo scores only ever
// compete with other typo scores for the same term (they are tried only when nothing else matched).

const DIRECT = 0;
const SYNONYM = 1;
const TYPO = 2;
type MatchMode = typeof DIRECT | typeof SYNONYM | typeof TYPO;

/** Japanese words are short: a typo allowed in a two- or three-character word finds unrelated words. */
export const TYPO_MIN_LENGTH = 4;
/** Synonym scores are the direct formula scaled below the weakest direct match. */
const SYNONYM_SCALE = 0.07;
const TYPO_BASE = 0.3;
const TYPO_COVER = 0.2;
const HAS_LETTER = /\p{L}/u;

interface Variant {
  text: string;
  mode: MatchMode;
}

/** Whether a term may match with one typo: long enough, and a word (not a house number). */
export function typoAllowed(term: string): boolean {
  let characters = 0;
  for (const _ of term) characters++;
  return characters >= TYPO_MIN_LENGTH && HAS_LETTER.test(term);
}

/** First index >= `from` whose value is >= target (galloping, since cursors only move forward). */
function seek(items: Int32Array, length: number, from: number, target: number): number {
  if (from >= length || items[from] >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < length && items[hi] < target) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > length) hi = length;
  lo += 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The score of `variant` in text `id`, which contains it (in the variant's sense). */
function variantScore(state: IndexState, id: number, variant: Variant): number {
  const field = state.textField[id];
  const length = state.textLength[id];
  const term = variant.text;
  // A term covering more of a short field (a name that is exactly the word) ranks higher.
  const cover = term.length / Math.max(length, term.length);
  const weight = FIELD_WEIGHTS[field];
  if (variant.mode === TYPO) return weight * (TYPO_BASE + TYPO_COVER * cover);
  if (variant.mode === SYNONYM) return SYNONYM_SCALE * weight * (0.75 + 0.25 * cover);
  let score = weight * (0.75 + 0.25 * cover);
  if (field === NAME) {
    // The text contains the term, so equal length means equal text.
    if (length === term.length) score += EXACT_NAME_BONUS;
    else if (state.texts[id].startsWith(term)) score += NAME_PREFIX_BONUS;
  } else if (field === READING && state.texts[id].startsWith(term)) {
    score += READING_PREFIX_BONUS;
  }
  return score;
}

/** Whether text `id` contains the variant (exactly, or within one edit for a typo variant). */
function variantOccurs(state: IndexState, id: number, variant: Variant): boolean {
  return variant.mode === TYPO ? containsWithinOneEdit(state.texts[id], variant.text) : state.texts[id].includes(variant.text);
}

interface TermTexts {
  term: string;
  /** The ways the term matched something: the word, synonyms that occur, or the typo variant. */
  variants: Variant[];
  /** Ids of the matching texts, with the term's best score in each. */
  texts: number[];
  scores: number[];
  /** How many document slots expanding these texts would visit. */
  expansion: number;
}

/**
 * Texts (not yet documents) containing the variant's text: postings give candidates, a substring
 * check confirms. Each text's score goes into `best` (kept when higher), and texts seen for the
 * first time into `out`. This is the hottest loop of a search, so the scoring is inlined.
 */
function exactTexts(state: IndexState, variant: Variant, best: Float64Array, out: number[]): boolean {
  const term = variant.text;
  const lists: IntList[] = [];
  for (const key of termKeys(term)) {
    const posting = state.postings.get(key);
    if (!posting || posting.length === 0) return false; // a key no text has: nothing can match
    lists.push(posting);
  }
  lists.sort((a, b) => a.length - b.length);
  const { texts, textField, textLength } = state;
  const termLength = term.length;
  const direct = variant.mode === DIRECT;
  // One key (a one- or two-unit term) says exactly which texts contain the term: no check needed.
  const verify = termLength > 2;
  const base = lists[0];
  const baseItems = base.items;
  const cursors = new Int32Array(lists.length);
  let found = false;
  outer: for (let i = 0; i < base.length; i++) {
    const id = baseItems[i];
    for (let l = 1; l < lists.length; l++) {
      const list = lists[l];
      const at = seek(list.items, list.length, cursors[l], id);
      cursors[l] = at;
      if (at >= list.length) break outer;
      if (list.items[at] !== id) continue outer;
    }
    if (verify && !texts[id].includes(term)) continue;
    found = true;
    // The score formula of variantScore, inlined.
    const field = textField[id];
    const length = textLength[id];
    const weight = FIELD_WEIGHTS[field];
    const cover = termLength / (length > termLength ? length : termLength);
    let score = weight * (0.75 + 0.25 * cover);
    if (!direct) score *= SYNONYM_SCALE;
    else if (field === NAME) {
      if (length === termLength) score += EXACT_NAME_BONUS;
      else if (texts[id].startsWith(term)) score += NAME_PREFIX_BONUS;
    } else if (field === READING && texts[id].startsWith(term)) {
      score += READING_PREFIX_BONUS;
    }
    const previous = best[id];
    if (previous === 0) out.push(id);
    if (score > previous) best[id] = score;
  }
  return found;
}

/**
 * Texts with a stretch one edit away from `term`. One edit destroys at most two of the term's
 * bigrams, so a candidate text must hold all but two of them (at least one): postings are counted
 * per text, and the candidates confirmed by an edit-distance scan.
 */
function typoTexts(state: IndexState, variant: Variant, best: Float64Array, out: number[]): boolean {
  const keys = termKeys(variant.text);
  const need = Math.max(1, keys.length - 2);
  const counts = state.textCounts();
  const touched: number[] = [];
  for (const key of keys) {
    const posting = state.postings.get(key);
    if (!posting) continue;
    const items = posting.items;
    for (let i = 0; i < posting.length; i++) {
      const id = items[i];
      if (counts[id]++ === 0) touched.push(id);
    }
  }
  let found = false;
  for (const id of touched) {
    if (counts[id] >= need && containsWithinOneEdit(state.texts[id], variant.text)) {
      found = true;
      const score = variantScore(state, id, variant);
      if (best[id] === 0) out.push(id);
      if (score > best[id]) best[id] = score;
    }
    counts[id] = 0;
  }
  return found;
}

/** Every text the term matches (directly or through synonyms; with a typo when those find nothing). */
function matchTerm(state: IndexState, term: string, synonyms: ReadonlyMap<string, readonly string[]>): TermTexts {
  const result: TermTexts = { term, variants: [], texts: [], scores: [], expansion: 0 };
  const best = state.textScores();
  const direct: Variant = { text: term, mode: DIRECT };
  if (exactTexts(state, direct, best, result.texts)) result.variants.push(direct);
  for (const other of synonyms.get(term) ?? []) {
    const synonym: Variant = { text: other, mode: SYNONYM };
    if (exactTexts(state, synonym, best, result.texts)) result.variants.push(synonym);
  }
  if (result.texts.length === 0 && typoAllowed(term)) {
    const typo: Variant = { text: term, mode: TYPO };
    if (typoTexts(state, typo, best, result.texts)) result.variants.push(typo);
  }
  const { textDocCount } = state;
  const scores = new Array<number>(result.texts.length);
  let expansion = 0;
  for (let i = 0; i < result.texts.length; i++) {
    const id = result.texts[i];
    scores[i] = best[id];
    expansion += textDocCount[id];
    best[id] = 0;
  }
  result.scores = scores;
  result.expansion = expansion;
  return result;
}

interface TextMatches {
  /** Matching document numbers (in no particular order) and their scores. */
  docs: Int32Array;
  scores: Float64Array;
  /** Words to mark in highlights: the terms and the synonyms that matched. */
  highlight: string[];
  /** Terms that matched with a typo: highlights look for their nearest stretch. */
  typos: string[];
}

/**
 * Documents in which every term occurs in some field, each scored by the sum over terms of the
 * term's best field score, plus a bonus when several terms hit the name. Works in the index's
 * scratch columns (per document number) and leaves them zeroed.
 */
function matchText(state: IndexState, terms: string[], synonyms: ReadonlyMap<string, readonly string[]>): TextMatches {
  const none: TextMatches = { docs: new Int32Array(0), scores: new Float64Array(0), highlight: [], typos: [] };
  const perTerm: TermTexts[] = [];
  for (const term of terms) {
    const texts = matchTerm(state, term, synonyms);
    if (texts.texts.length === 0) return none;
    perTerm.push(texts);
  }
  const highlight: string[] = [];
  const typos: string[] = [];
  for (const { variants } of perTerm) {
    for (const variant of variants) {
      if (variant.mode === TYPO) typos.push(variant.text);
      else if (!highlight.includes(variant.text)) highlight.push(variant.text);
    }
  }
  if (perTerm.length === 1) return { ...singleTerm(state, perTerm[0]), highlight, typos };
  // Most selective term first: its documents are the candidates the other terms must confirm.
  perTerm.sort((a, b) => a.expansion - b.expansion);

  const { termBest, termName, termsMatched, scoreSum, nameHits, alive, packedTexts, packedStart, packedDocs, textDocLists } = state;
  let current = state.candidatesA;
  let spare = state.candidatesB;
  let count = 0;
  for (let t = 0; t < perTerm.length; t++) {
    if (t > 0 && count === 0) break;
    const { texts, scores, expansion, variants } = perTerm[t];
    if (t > 0 && count * FIELD_COUNT < expansion) {
      // Few candidates left: checking their own fields beats expanding the term's texts.
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const n = current[i];
        let best = 0;
        let inName = 0;
        for (let field = 0; field < FIELD_COUNT; field++) {
          const id = state.docText[field][n];
          if (id < 0) continue;
          for (const variant of variants) {
            if (!variantOccurs(state, id, variant)) continue;
            const score = variantScore(state, id, variant);
            if (score > best) best = score;
            if (field === NAME) inName = 1;
          }
        }
        if (best > 0) {
          scoreSum[n] += best;
          nameHits[n] += inName;
          termsMatched[n] = t + 1;
          current[kept++] = n;
        } else {
          resetDoc(state, n);
        }
      }
      count = kept;
      continue;
    }
    // Expand the texts to documents, keeping each document's best field for this term.
    let touched = 0;
    for (let i = 0; i < texts.length; i++) {
      const id = texts[i];
      const score = scores[i];
      const inName = state.textField[id] === NAME ? 1 : 0;
      // Two runs of documents: those packed at the last build, then those added since.
      for (let part = 0; part < 2; part++) {
        let docs: Int32Array;
        let from = 0;
        let to = 0;
        if (part === 0) {
          if (id >= packedTexts) continue;
          docs = packedDocs;
          from = packedStart[id];
          to = packedStart[id + 1];
        } else {
          const added = textDocLists[id];
          if (added === undefined) continue;
          docs = added.items;
          to = added.length;
        }
        for (let k = from; k < to; k++) {
          const n = docs[k];
          if ((alive[n >>> 5] & (1 << (n & 31))) === 0) continue;
          if (termsMatched[n] !== t) continue; // missed an earlier term
          if (termBest[n] === 0) spare[touched++] = n;
          if (score > termBest[n]) termBest[n] = score;
          termName[n] |= inName;
        }
      }
    }
    for (let i = 0; i < touched; i++) {
      const n = spare[i];
      scoreSum[n] += termBest[n];
      nameHits[n] += termName[n];
      termsMatched[n] = t + 1;
      termBest[n] = 0;
      termName[n] = 0;
    }
    for (let i = 0; i < count; i++) if (termsMatched[current[i]] !== t + 1) resetDoc(state, current[i]);
    [current, spare] = [spare, current];
    count = touched;
  }

  const docs = current.slice(0, count);
  const scoresOut = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const n = docs[i];
    scoresOut[i] = scoreSum[n] + (nameHits[n] > 1 ? EXTRA_NAME_TERM_BONUS * (nameHits[n] - 1) : 0);
    resetDoc(state, n);
  }
  return { docs, scores: scoresOut, highlight, typos };
}

/** One term (the usual query): each document's best text score, in two passes over the documents. */
function singleTerm(state: IndexState, term: TermTexts): Pick<TextMatches, "docs" | "scores"> {
  const { termBest, alive, packedTexts, packedStart, packedDocs, textDocLists } = state;
  const found = state.candidatesA;
  let count = 0;
  const { texts, scores } = term;
  for (let i = 0; i < texts.length; i++) {
    const id = texts[i];
    const score = scores[i];
    if (id < packedTexts) {
      for (let k = packedStart[id], to = packedStart[id + 1]; k < to; k++) {
        const n = packedDocs[k];
        if ((alive[n >>> 5] & (1 << (n & 31))) === 0) continue;
        const previous = termBest[n];
        if (previous === 0) found[count++] = n;
        if (score > previous) termBest[n] = score;
      }
    }
    const added = textDocLists[id];
    if (added !== undefined) {
      for (let k = 0; k < added.length; k++) {
        const n = added.items[k];
        if ((alive[n >>> 5] & (1 << (n & 31))) === 0) continue;
        const previous = termBest[n];
        if (previous === 0) found[count++] = n;
        if (score > previous) termBest[n] = score;
      }
    }
  }
  const docs = found.slice(0, count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = termBest[docs[i]];
    termBest[docs[i]] = 0;
  }
  return { docs, scores: out };
}

function resetDoc(state: IndexState, n: number): void {
  state.scoreSum[n] = 0;
  state.nameHits[n] = 0;
  state.termsMatched[n] = 0;
}

// Edit distance, for typo tolerance. Terms are at most MAX_TERM_LENGTH units, so one reusable
// column is enough.
const editColumn = new Int32Array(MAX_TERM_LENGTH + 2);

/**
 * Whether some stretch of `text` is at most one edit (substitution, insertion or deletion) away
 * from `pattern`: Sellers' approximate substring matching, one column at a time.
 */
export function containsWithinOneEdit(text: string, pattern: string): boolean {
  return endOfNearMatch(text, pattern) !== -1;
}

/** End (exclusive) of the first stretch of `text` within one edit of `pattern`, or -1. */
function endOfNearMatch(text: string, pattern: string): number {
  const m = pattern.length;
  if (m === 0) return 0;
  if (m > MAX_TERM_LENGTH) return text.includes(pattern) ? text.indexOf(pattern) + m : -1;
  const column = editColumn;
  for (let i = 0; i <= m; i++) column[i] = i;
  if (m <= 1) return 0;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    let diagonal = 0; // D[0][j-1]: a match may start anywhere
    for (let i = 1; i <= m; i++) {
      const above = column[i];
      const substitute = diagonal + (pattern.charCodeAt(i - 1) === c ? 0 : 1);
      const value = Math.min(substitute, above + 1, column[i - 1] + 1);
      diagonal = above;
      column[i] = value;
    }
    if (column[m] <= 1) return j + 1;
  }
  return -1;
}

/** Whether two strings are at most one edit apart. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The stretch of normalised `text` a typo term matched, for highlighting; null when none. */
export function nearMatch(text: string, pattern: string): string | null {
  const end = endOfNearMatch(text, pattern);
  if (end === -1) return null;
  // The first end found may be a dropped last character (デイサービ for デイサービズ) where one
  // character more is a substitution (デイサービス): prefer the stretch as long as the pattern.
  let fallback: string | null = null;
  for (const stop of [end, end + 1]) {
    if (stop > text.length) continue;
    for (const length of [pattern.length, pattern.length + 1, pattern.length - 1]) {
      const start = stop - length;
      if (start < 0 || length <= 0) continue;
      const stretch = text.slice(start, stop);
      if (!withinOneEdit(stretch, pattern)) continue;
      if (length === pattern.length) return stretch;
      fallback ??= stretch;
    }
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Geo

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = toRadians(lat2 - lat1);
  const dLon = toRadians(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

function insideGeo(state: IndexState, n: number, p: Plan): boolean {
  const lat = state.lat[n];
  const lon = state.lon[n];
  if (Number.isNaN(lat)) return false;
  if (p.radius) {
    // Cheap latitude band first; most far-away documents fail here without trigonometry.
    if (Math.abs(lat - p.radius.lat) > p.radius.latDelta) return false;
    if (haversineMeters(p.radius.lat, p.radius.lon, lat, lon) > p.radius.meters) return false;
  }
  if (p.box) {
    const { south, north, west, east } = p.box;
    if (lat < south || lat > north) return false;
    // A box whose west edge is east of its east edge crosses the 180th meridian.
    if (west <= east ? lon < west || lon > east : lon < west && lon > east) return false;
  }
  return true;
}

/** Grid cells are GRID_DEGREES on a side (~2 km): a town-sized radius or map view is a few hundred. */
const GRID_DEGREES = 0.02;
const GRID_COLUMNS = Math.ceil(360 / GRID_DEGREES) + 1;

function gridRow(lat: number): number {
  return Math.floor((lat + 90) / GRID_DEGREES);
}

function gridColumn(lon: number): number {
  return Math.floor((lon + 180) / GRID_DEGREES);
}

function gridCell(lat: number, lon: number): number {
  return gridRow(lat) * GRID_COLUMNS + gridColumn(lon);
}

/**
 * Live documents inside the plan's radius and/or box, found through the grid cells that overlap
 * them. Null when the area is too large (or wraps the 180th meridian / reaches a pole) for the
 * grid to beat a scan of every document.
 */
function geoCandidates(state: IndexState, p: Plan): Uint32Array | null {
  let south = -90;
  let north = 90;
  let west = -180;
  let east = 180;
  if (p.radius) {
    const { lat, lon, latDelta } = p.radius;
    const cos = Math.cos(toRadians(Math.min(89, Math.abs(lat) + latDelta)));
    const lonDelta = latDelta / Math.max(cos, 1e-6);
    south = lat - latDelta;
    north = lat + latDelta;
    west = lon - lonDelta;
    east = lon + lonDelta;
  }
  if (p.box) {
    if (p.box.west > p.box.east) return null; // crosses the 180th meridian
    south = Math.max(south, p.box.south);
    north = Math.min(north, p.box.north);
    west = Math.max(west, p.box.west);
    east = Math.min(east, p.box.east);
  }
  if (south < -90 || north > 90 || west < -180 || east > 180) return null;
  const candidates = new Uint32Array(state.words);
  if (south > north || west > east) return candidates;
  const rows = gridRow(north) - gridRow(south) + 1;
  const columns = gridColumn(east) - gridColumn(west) + 1;
  if (rows * columns > Math.max(256, state.live / 4)) return null;
  const { alive, grid } = state;
  for (let row = gridRow(south); row <= gridRow(north); row++) {
    const first = row * GRID_COLUMNS + gridColumn(west);
    for (let cell = first; cell < first + columns; cell++) {
      const list = grid.get(cell);
      if (!list) continue;
      const items = list.items;
      for (let i = 0; i < list.length; i++) {
        const n = items[i];
        if ((alive[n >>> 5] & (1 << (n & 31))) !== 0 && insideGeo(state, n, p)) candidates[n >>> 5] |= 1 << (n & 31);
      }
    }
  }
  return candidates;
}

// ---------------------------------------------------------------------------------------------
// Ordering: a page of `k` out of many hits is picked with a bounded heap, not a full sort.

function topK(count: number, k: number, before: (a: number, b: number) => boolean): number[] {
  if (k <= 0 || count === 0) return [];
  const compare = (a: number, b: number) => (before(a, b) ? -1 : before(b, a) ? 1 : 0);
  if (k * 4 >= count) {
    const all = Array.from({ length: count }, (_, i) => i);
    return all.sort(compare).slice(0, k);
  }
  // A heap with the worst of the best k at its root.
  const heap: number[] = [];
  const siftUp = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[parent], heap[i])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && before(heap[worst], heap[l])) worst = l;
      if (r < heap.length && before(heap[worst], heap[r])) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  };
  for (let i = 0; i < count; i++) {
    if (heap.length < k) {
      heap.push(i);
      siftUp(heap.length - 1);
    } else if (before(i, heap[0])) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}

// ---------------------------------------------------------------------------------------------

type PendingWrite = { op: "upsert"; documents: SearchDocument[] } | { op: "remove"; ids: string[] };

const DEFAULT_SYNONYMS = buildSynonymMap(SYNONYM_GROUPS);

export interface EmbeddedEngineOptions {
  /** Synonym groups (default: the reviewed SYNONYM_GROUPS); [] turns synonyms off. */
  synonyms?: readonly (readonly string[])[];
}

export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = "embedded";
  private readonly synonyms: ReadonlyMap<string, readonly string[]>;
  private state = new IndexState();
  /** Writes made while replaceAll is building, replayed onto the new index before the swap. */
  private rebuild: { generation: number; writes: PendingWrite[] } | null = null;
  private generation = 0;

  constructor(options: EmbeddedEngineOptions = {}) {
    this.synonyms = options.synonyms ? buildSynonymMap(options.synonyms) : DEFAULT_SYNONYMS;
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    const unique = dedupe(documents);
    for (const document of unique) this.state.add(document);
    this.rebuild?.writes.push({ op: "upsert", documents: unique });
    this.compactIfNeeded();
  }

  async remove(ids: string[]): Promise<void> {
    const keys = ids.map(String);
    for (const id of keys) this.state.delete(id);
    this.rebuild?.writes.push({ op: "remove", ids: keys });
    this.compactIfNeeded();
  }

  async replaceAll(documents: SearchDocument[]): Promise<void> {
    const generation = ++this.generation;
    this.rebuild = { generation, writes: [] };
    const unique = dedupe(documents);
    const next = new IndexState();
    next.beginBulk(unique.length);
    for (let i = 0; i < unique.length; i++) {
      if (i > 0 && i % BUILD_CHUNK === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.generation !== generation) return; // a newer replaceAll started: it wins
      }
      next.add(unique[i]);
    }
    next.finishBulk();
    if (this.generation !== generation || !this.rebuild) return;
    for (const write of this.rebuild.writes) {
      if (write.op === "upsert") for (const document of write.documents) next.add(document);
      else for (const id of write.ids) next.delete(id);
    }
    this.rebuild = null;
    this.state = next;
  }

  async get(id: string): Promise<SearchDocument | null> {
    const n = this.state.byId.get(String(id));
    return n === undefined ? null : this.state.documents[n]!;
  }

  async health(): Promise<EngineHealth> {
    return { ok: true, engine: this.name, documents: this.state.live };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now();
    const state = this.state;
    const result = run(state, plan(query, state), this.synonyms);
    return { ...result, tookMs: Math.round((performance.now() - started) * 1000) / 1000 };
  }

  private compactIfNeeded(): void {
    if (!this.state.needsCompaction()) return;
    const live = this.state.liveDocuments();
    const next = new IndexState();
    next.beginBulk(live.length);
    for (const document of live) next.add(document);
    next.finishBulk();
    this.state = next;
  }
}

function dedupe(documents: SearchDocument[]): SearchDocument[] {
  if (!Array.isArray(documents)) throw new TypeError("documents must be an array");
  const byId = new Map<string, SearchDocument>();
  for (const document of documents) {
    if (!document || typeof document.id !== "string" || document.id === "") {
      throw new TypeError("search document without an id");
    }
    byId.delete(document.id); // the last version wins
    byId.set(document.id, document);
  }
  return [...byId.values()];
}

function run(state: IndexState, p: Plan, synonyms: ReadonlyMap<string, readonly string[]>): Omit<SearchResult, "tookMs"> {
  const words = state.words;
  const unrestricted = p.terms.length === 0 && p.filterFields.length === 0 && !p.radius && !p.box;

  if (unrestricted && (p.sort === "name" || p.sort === "relevance")) {
    // Everything matches: facet counts are cached and name order is the stored order.
    const all = state.facetCountsOfAll();
    const page = state.nameOrder.slice(p.offset, p.offset + p.limit);
    return {
      hits: page.map((n) => makeHit(state, n, 0, p, null)),
      total: state.live,
      facets: facetObject(state, p.facetFields, (f) => all[f]),
    };
  }

  // 1. Candidates: the text matches, or every live document; then the geo limits.
  let text: TextMatches | null = null;
  let candidates: Uint32Array;
  if (p.terms.length > 0) {
    text = matchText(state, p.terms, synonyms);
    if (!p.radius && !p.box && p.filterFields.length === 0 && p.facetFields.length === 0) {
      // Text alone (typing in the search box): no sets to build, the matches are the hits.
      const page = pageOf(state, p, text.docs, text.scores);
      return { hits: page.docs.map((n, i) => makeHit(state, n, page.scores[i], p, text)), total: text.docs.length, facets: {} };
    }
    candidates = new Uint32Array(words);
    for (const n of text.docs) candidates[n >>> 5] |= 1 << (n & 31);
    if (p.radius || p.box) {
      for (const n of text.docs) if (!insideGeo(state, n, p)) candidates[n >>> 5] &= ~(1 << (n & 31));
    }
  } else if (p.radius || p.box) {
    const fromGrid = geoCandidates(state, p);
    if (fromGrid) {
      candidates = fromGrid;
    } else {
      // An area too large for the grid to help: check every live document.
      const all = state.alive.slice();
      forEachBit(state.alive, (n) => {
        if (!insideGeo(state, n, p)) all[n >>> 5] &= ~(1 << (n & 31));
      });
      candidates = all;
    }
  } else {
    candidates = state.alive.slice();
  }

  // 2. Filters: OR of the value bitsets within a field, AND across fields.
  const filterBits = p.filterFields.map((f, k) => {
    const bits = new Uint32Array(words);
    for (const id of p.wanted[k]) {
      const valueBits = state.facets[f].bits[id];
      for (let w = 0; w < words; w++) bits[w] |= valueBits[w];
    }
    return bits;
  });
  const hits = candidates.slice();
  for (const bits of filterBits) for (let w = 0; w < words; w++) hits[w] &= bits[w];
  const total = countBits(hits);

  // 3. Facets. A facet's counts honour every filter but its own, so each choice in a filtered
  // field shows how many it would add; unfiltered facets simply count the hits.
  const facetCounts = new Map<number, Int32Array>();
  for (const f of p.facetFields) {
    const own = p.filterFields.indexOf(f);
    let base = hits;
    if (own !== -1) {
      base = candidates.slice();
      filterBits.forEach((bits, k) => {
        if (k !== own) for (let w = 0; w < words; w++) base[w] &= bits[w];
      });
    }
    facetCounts.set(f, countFacet(state, f, base));
  }

  // 4. Order and page.
  let page: { docs: number[]; scores: number[] };
  if (!text && p.sort === "name") {
    // Walk the stored name order until the page is filled.
    const docs: number[] = [];
    let seen = 0;
    for (const n of state.nameOrder) {
      if (!hasBit(hits, n)) continue;
      if (seen++ < p.offset) continue;
      docs.push(n);
      if (docs.length === p.limit) break;
    }
    page = { docs, scores: docs.map(() => 0) };
  } else {
    const docs = new Int32Array(total);
    const scores = new Float64Array(total);
    let m = 0;
    if (text) {
      for (let i = 0; i < text.docs.length; i++) {
        if (!hasBit(hits, text.docs[i])) continue;
        docs[m] = text.docs[i];
        scores[m++] = text.scores[i];
      }
    } else {
      forEachBit(hits, (n) => {
        docs[m++] = n;
      });
    }
    page = pageOf(state, p, docs, scores);
  }

  return {
    hits: page.docs.map((n, i) => makeHit(state, n, page.scores[i], p, text)),
    total,
    facets: facetObject(state, p.facetFields, (f) => facetCounts.get(f)!),
  };
}

/** The page (offset, limit) of `docs` in the plan's order, picked with a bounded heap. */
function pageOf(state: IndexState, p: Plan, docs: Int32Array, scores: Float64Array): { docs: number[]; scores: number[] } {
  const total = docs.length;
  const k = Math.min(total, p.offset + p.limit);
  const ranks = state.ranks();
  const rankOf = (i: number) => ranks[docs[i]];
  let before: (a: number, b: number) => boolean;
  if (p.sort === "relevance") {
    before = (a, b) => scores[a] > scores[b] || (scores[a] === scores[b] && rankOf(a) < rankOf(b));
  } else if (p.sort === "name") {
    before = (a, b) => rankOf(a) < rankOf(b);
  } else if (p.sort === "updated") {
    before = (a, b) => {
      const ua = state.updated[docs[a]];
      const ub = state.updated[docs[b]];
      return ua > ub || (ua === ub && rankOf(a) < rankOf(b));
    };
  } else {
    const from = p.distanceFrom!;
    // Documents without a location go last (Infinity), in name order among themselves.
    const distances = new Float64Array(total);
    for (let i = 0; i < total; i++) {
      const n = docs[i];
      distances[i] = Number.isNaN(state.lat[n]) ? Infinity : haversineMeters(from.lat, from.lon, state.lat[n], state.lon[n]);
    }
    before = (a, b) => distances[a] < distances[b] || (distances[a] === distances[b] && rankOf(a) < rankOf(b));
  }
  const order = topK(total, k, before).slice(p.offset);
  return { docs: order.map((i) => docs[i]), scores: order.map((i) => scores[i]) };
}

/**
 * Counts the values of facet `f` among the documents of `base`: per value with word-wise AND and
 * popcount when the set is dense, per document through its value list when it is sparse.
 */
function countFacet(state: IndexState, f: number, base: Uint32Array): Int32Array {
  const facet = state.facets[f];
  const counts = new Int32Array(facet.values.length);
  const nonZero: number[] = [];
  let members = 0;
  for (let w = 0; w < base.length; w++) {
    if (base[w] !== 0) {
      nonZero.push(w);
      members += popcount(base[w]);
    }
  }
  if (members * 4 < nonZero.length * facet.values.length) {
    const { flat, offsets } = facet;
    for (const w of nonZero) {
      let word = base[w];
      while (word !== 0) {
        const lowest = word & -word;
        const n = (w << 5) + 31 - Math.clz32(lowest);
        word ^= lowest;
        for (let i = offsets[n]; i < offsets[n + 1]; i++) counts[flat.items[i]]++;
      }
    }
    return counts;
  }
  for (let v = 0; v < counts.length; v++) {
    const bits = facet.bits[v];
    let total = 0;
    for (const w of nonZero) {
      const both = base[w] & bits[w];
      if (both !== 0) total += popcount(both);
    }
    counts[v] = total;
  }
  return counts;
}

function makeHit(state: IndexState, n: number, score: number, p: Plan, text: TextMatches | null): SearchHit {
  const document = state.documents[n]!;
  const hit: SearchHit = { document, score: Math.round(score * 1000) / 1000 };
  if (p.origin && !Number.isNaN(state.lat[n])) {
    hit.distanceMeters = Math.round(haversineMeters(p.origin.lat, p.origin.lon, state.lat[n], state.lon[n]));
  }
  if (text && (text.highlight.length > 0 || text.typos.length > 0)) {
    const highlights: NonNullable<SearchHit["highlights"]> = {};
    for (const [field, column] of HIGHLIGHT_FIELDS) {
      // The index holds each field's normalised text: fields without a match are skipped
      // without normalising anything again (most descriptions and addresses).
      const id = state.docText[column][n];
      if (id < 0) continue;
      const normalized = state.texts[id];
      const words = text.highlight.filter((word) => normalized.includes(word));
      for (const typo of text.typos) {
        const near = nearMatch(normalized, typo);
        if (near !== null) words.push(near);
      }
      if (words.length === 0) continue;
      const marked = highlightTerms(document[field] ?? "", words);
      if (marked !== null) highlights[field] = marked;
    }
    if (Object.keys(highlights).length > 0) hit.highlights = highlights;
  }
  return hit;
}

function facetObject(state: IndexState, fields: number[], countsOf: (f: number) => Int32Array): SearchResult["facets"] {
  const facets: SearchResult["facets"] = {};
  for (const f of fields) {
    const values = state.facets[f].values;
    const counts = countsOf(f);
    const out: Record<string, number> = {};
    for (let id = 0; id < counts.length; id++) if (counts[id] > 0) out[values[id]] = counts[id];
    facets[FACET_FIELDS[f]] = out;
  }
  return facets;
}
