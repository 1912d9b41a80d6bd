// 「住所・駅名から探す」 without any outside geocoding service: a text such as 「本町」, 「練馬区」 or
// 「焼津駅」 becomes the centre of the registered places whose name or address contains it.
//
// - The text is NFKC-normalised (as the imported data is) and compared without spaces or case.
// - When nothing contains the whole text, shorter forms are tried: without a trailing 駅/駅前/周辺/
//   付近… (「焼津駅」 → 「焼津」) and without a trailing block number (「焼津市本町2丁目5」 → 「焼津市本町」).
// - Matches far apart (「本町」 is in many towns) are not averaged into the sea between them: the
//   centre is taken over the largest group of matches lying close together, and the answer says
//   which municipality that group is in and how many matches were left out.
// Only places residents can see (not closed) and only their coordinates are read.
import { and, isNotNull, ne, or, sql } from "drizzle-orm";
import { getDatabase, type DatabaseHandle } from "../../db/client.server";
import { resources } from "../../db/schema";

export interface LocatedText {
  lat: number;
  lon: number;
  /** The text as asked (normalised). */
  query: string;
  /** The form that matched: the query itself or a shorter one (「焼津駅」 → 「焼津」). */
  matchedText: string;
  /** Places whose centre this is. */
  used: number;
  /** Places that matched at all (used + those far from the chosen group). */
  matched: number;
  /** The municipality most of the used places are in (e.g. 焼津市), when known. */
  city: string | null;
}

export const LOCATE_MIN_LENGTH = 2;
/** Places within this distance of the densest match form the group whose centre is used. */
export const GROUP_RADIUS_METERS = 8_000;
/** Enough to find a town's group; more would only cost time on a large directory. */
const MAX_MATCHES = 1_000;

const TRAILING_WORDS = /(駅前|駅周辺|駅付近|駅|の?周辺|の?付近|の?近く|の?あたり|の?辺り)$/;
const TRAILING_NUMBER = /[\d\-－−番地号丁目]+$/;

/** The text as compared: NFKC, no spaces, lower case. */
export function normalizeLocationText(text: string): string {
  return text.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

/** The forms to try, longest first: the text, then without a station/「周辺」 suffix or a block number. */
export function candidateTexts(text: string): string[] {
  const forms: string[] = [];
  const add = (form: string) => {
    if (Array.from(form).length >= LOCATE_MIN_LENGTH && !forms.includes(form)) forms.push(form);
  };
  const whole = normalizeLocationText(text);
  add(whole);
  const withoutWords = whole.replace(TRAILING_WORDS, "");
  add(withoutWords);
  for (const form of [whole, withoutWords]) {
    const withoutNumber = form.replace(TRAILING_NUMBER, "");
    add(withoutNumber);
    add(withoutNumber.replace(TRAILING_WORDS, ""));
  }
  return forms;
}

interface Match {
  lat: number;
  lon: number;
  city: string | null;
}

async function findMatches(handle: DatabaseHandle, needle: string): Promise<Match[]> {
  const compact = (column: unknown) => sql`lower(replace(${column}, ' ', ''))`;
  const address = sql`coalesce(${resources.prefecture}, '') || coalesce(${resources.city}, '') || coalesce(${resources.addressLine}, '')`;
  const rows = await handle.db
    .select({ lat: resources.latitude, lon: resources.longitude, city: resources.city })
    .from(resources)
    .where(
      and(
        ne(resources.status, "closed"),
        isNotNull(resources.latitude),
        isNotNull(resources.longitude),
        or(sql`strpos(${compact(resources.name)}, ${needle}) > 0`, sql`strpos(${compact(address)}, ${needle}) > 0`)
      )
    )
    .orderBy(resources.id)
    .limit(MAX_MATCHES);
  return rows.filter((r): r is Match => r.lat !== null && r.lon !== null);
}

/** Metres between two points, flat-earth approximation (plenty for a few kilometres). */
function roughMeters(a: Match, b: Match): number {
  const meanLat = ((a.lat + b.lat) / 2) * (Math.PI / 180);
  const dy = (a.lat - b.lat) * 111_320;
  const dx = (a.lon - b.lon) * 111_320 * Math.cos(meanLat);
  return Math.hypot(dx, dy);
}

/** The matches around the match with the most neighbours within GROUP_RADIUS_METERS. */
export function densestGroup<T extends Match>(matches: T[]): T[] {
  let best: T[] = [];
  for (const seed of matches) {
    const group = matches.filter((m) => roughMeters(seed, m) <= GROUP_RADIUS_METERS);
    if (group.length > best.length) best = group;
  }
  return best;
}

function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The centre of the registered places matching `text` (see the file comment), or null when no
 * place matches any form of it (or the text is shorter than two characters).
 */
export async function locateByText(text: string, handle?: DatabaseHandle): Promise<LocatedText | null> {
  const db = handle ?? (await getDatabase());
  const query = text.normalize("NFKC").replace(/\s+/g, " ").trim();
  for (const form of candidateTexts(text)) {
    const matches = await findMatches(db, form);
    if (matches.length === 0) continue;
    const group = densestGroup(matches);
    const lat = group.reduce((sum, m) => sum + m.lat, 0) / group.length;
    const lon = group.reduce((sum, m) => sum + m.lon, 0) / group.length;
    return {
      lat: Math.round(lat * 100_000) / 100_000,
      lon: Math.round(lon * 100_000) / 100_000,
      query,
      matchedText: form,
      used: group.length,
      matched: matches.length,
      city: mostCommon(group.map((m) => m.city)),
    };
  }
  return null;
}
