// Cleaning of open-data cell values and header names: Unicode NFKC (full-width digits, colons,
// spaces and half-width katakana become their usual forms), and parsers for the fields that come
// as free text in Japanese municipal files: phone numbers, postcodes, coordinates, URLs, addresses.
// Pure functions, no I/O.

/** Header names drift between files (NFKC width, stray spaces, U+2015 in 「コ―ド」, 連結標記). */
export function normalizeHeader(name: string): string {
  const folded = name
    .replace(/^\uFEFF/, "")
    .normalize("NFKC")
    // Yaizu writes 「コ―ド」 with U+2015 (and other files use U+2014) where ー belongs.
    .replace(/[\u2014\u2015]/g, "ー")
    .replace(/\s+/g, "");
  return HEADER_ALIASES[folded] ?? folded;
}

/** Known misspellings of standard column names, mapped to the spelling the mappers use. */
const HEADER_ALIASES: Record<string, string> = {
  所在地_連結標記: "所在地_連結表記",
};

/**
 * A cell value as people should read it: NFKC, line breaks as \n, tabs and runs of spaces as one
 * space, each line trimmed, blank lines at either end dropped. Newlines inside a cell are kept
 * because several columns (区分, 開催頻度) use them to separate items.
 */
export function normalizeText(value: string | null | undefined): string {
  if (!value) return "";
  return value
    .normalize("NFKC")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[\t\u00A0 ]+/g, " ").trim())
    .join("\n")
    .replace(/^\n+|\n+$/g, "")
    .replace(/\n{3,}/g, "\n\n");
}

/** One-line form of a value (names, addresses): newlines become spaces. */
export function normalizeLine(value: string | null | undefined): string {
  return normalizeText(value).replace(/\s*\n\s*/g, " ").trim();
}

/** Values that mean "nothing published here". */
const PLACEHOLDER_VALUES = /^(?:-|ー|―|なし|無し|無|非公開|未公開|※?以下未公開|該当なし|不明|未定)$/;

/** The value, or null when it is empty or only a placeholder such as 「非公開」. */
export function presentOrNull(value: string | null | undefined): string | null {
  const text = normalizeText(value);
  if (!text || PLACEHOLDER_VALUES.test(text)) return null;
  return text;
}

const HYPHEN_LIKE = "\u002D\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30FC\uFF0D\uFF70";
const HYPHEN_BETWEEN_DIGITS = new RegExp(`(?<=\\d)\\s*[${HYPHEN_LIKE}]\\s*(?=\\d)`, "g");

/** 「宗高950‐1」「森下2ー14」: any dash-like character between digits becomes "-". */
export function normalizeDigitHyphens(text: string): string {
  return text.replace(HYPHEN_BETWEEN_DIGITS, "-");
}

const PHONE_PATTERN = /\(?0\d{1,4}\)?[-\s]?\d{1,4}-?\d{3,4}/g;

/** 「(054)624-3668」→「054-624-3668」; digits-only numbers are left as they are. */
function normalizeOnePhone(match: string): string {
  const bracketed = /^\((0\d{1,4})\)\s*(\d{1,4})-?(\d{3,4})$/.exec(match);
  if (bracketed) return `${bracketed[1]}-${bracketed[2]}-${bracketed[3]}`;
  return match.replace(/\s+/g, "-");
}

/**
 * A phone cell as one normalised number, or — when the cell names several numbers with labels
 * (「(小)054-625-7200、(GH)054-625-8525」) — the cleaned text with every number normalised.
 */
export function normalizePhone(value: string | null | undefined): string | null {
  const text = presentOrNull(value);
  if (!text) return null;
  const line = normalizeDigitHyphens(normalizeLine(text));
  const numbers = line.match(PHONE_PATTERN) ?? [];
  if (numbers.length === 0) return null;
  if (numbers.length === 1 && line.replace(PHONE_PATTERN, "").replace(/[\s、,]/g, "") === "") {
    return normalizeOnePhone(numbers[0]);
  }
  return line.replace(PHONE_PATTERN, normalizeOnePhone);
}

/** 「425-0091」 or 「4250091」 → 「425-0091」; anything else → null. */
export function normalizePostalCode(value: string | null | undefined): string | null {
  const text = normalizeDigitHyphens(normalizeLine(value)).replace(/^〒\s*/, "");
  const match = /^(\d{3})-?(\d{4})$/.exec(text);
  return match ? `${match[1]}-${match[2]}` : null;
}

/** Japan's extent with a margin (南鳥島 153.98°E, 沖ノ鳥島 20.42°N, 択捉 45.56°N). */
export const JAPAN_BOUNDS = { south: 20, north: 46, west: 122, east: 154 } as const;

/**
 * Latitude and longitude in decimal degrees, or null for both when either is missing or the
 * point lies outside Japan (swapped columns and zeros are the usual mistakes): the row is then
 * kept as a list-only entry.
 */
export function parseCoordinates(
  latitudeText: string | null | undefined,
  longitudeText: string | null | undefined,
): { latitude: number; longitude: number } | null {
  const latitude = parseDecimal(latitudeText);
  const longitude = parseDecimal(longitudeText);
  if (latitude === null || longitude === null) return null;
  if (latitude < JAPAN_BOUNDS.south || latitude > JAPAN_BOUNDS.north) return null;
  if (longitude < JAPAN_BOUNDS.west || longitude > JAPAN_BOUNDS.east) return null;
  return { latitude, longitude };
}

function parseDecimal(value: string | null | undefined): number | null {
  const text = normalizeLine(value);
  if (!/^[-+]?\d+(?:\.\d+)?$/.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** A whole number such as 定員 「30」「30人」「約50」; null when the cell says anything else. */
export function parseCount(value: string | null | undefined): number | null {
  const text = normalizeLine(value).replace(/,/g, "");
  const match = /^(?:約)?(\d{1,6})\s*(?:人|名|世帯|食)?(?:程度)?$/.exec(text);
  return match ? Number(match[1]) : null;
}

/** A fee in yen: 「0」「300」「300円」「無料」. Null when the cell is not a plain amount. */
export function parseYen(value: string | null | undefined): number | null {
  const text = normalizeLine(value).replace(/,/g, "");
  if (/^無料$/.test(text)) return 0;
  const match = /^(\d{1,6})\s*円?$/.exec(text);
  return match ? Number(match[1]) : null;
}

/** The first http(s) URL in a cell (some cells put a label or a line of text before it). */
export function extractUrl(value: string | null | undefined): string | null {
  const text = normalizeText(value);
  const match = /https?:\/\/[^\s"'<>、。）)]+/i.exec(text);
  if (!match) return null;
  try {
    return new URL(match[0]).toString();
  } catch {
    return null;
  }
}

/** The first e-mail address in a cell (Tokyo rows put 「連絡先 …@…」 in 備考). */
export function extractEmail(value: string | null | undefined): string | null {
  const match = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.exec(normalizeText(value));
  return match ? match[0] : null;
}

export interface AddressParts {
  prefecture: string | null;
  city: string | null;
  addressLine: string | null;
  building: string | null;
}

const PREFECTURE_PREFIX = /^(東京都|北海道|京都府|大阪府|[^\s\d都道府県]{2,3}県)/;

/**
 * Splits an address cell into prefecture, municipality, street address and building. The
 * prefecture and the municipality default to the publisher's when the cell omits them (Yaizu
 * writes 「焼津市本町5-6-1」 or only 「宗高950-1」). `knownCities` lets a caller recognise
 * municipalities without guessing where a name like 町田市 ends.
 */
export function splitAddress(
  value: string | null | undefined,
  defaults: { prefecture: string | null; city: string | null; knownCities?: readonly string[] },
  options: { splitBuilding?: boolean } = {},
): AddressParts {
  let text = presentOrNull(value);
  if (!text) return { prefecture: defaults.prefecture, city: defaults.city, addressLine: null, building: null };
  text = normalizeDigitHyphens(normalizeLine(text));

  let prefecture = defaults.prefecture;
  const prefectureMatch = PREFECTURE_PREFIX.exec(text);
  if (prefectureMatch) {
    prefecture = prefectureMatch[1];
    text = text.slice(prefectureMatch[1].length).trim();
  }

  let city = defaults.city;
  const candidates = [...(defaults.city ? [defaults.city] : []), ...(defaults.knownCities ?? [])].sort(
    (a, b) => b.length - a.length,
  );
  const cityMatch = candidates.find((candidate) => text!.startsWith(candidate));
  if (cityMatch) {
    city = cityMatch;
    text = text.slice(cityMatch.length).trim();
  }

  let building: string | null = null;
  if (options.splitBuilding) {
    // The street number ends at the first space after a digit: 「八楠1丁目5-19 1階」.
    const match = /^(\S*\d[\d-]*(?:番地?|号|丁目)?(?:の\d+)?)\s+(.+)$/.exec(text);
    if (match) {
      text = match[1];
      building = match[2];
    }
  }
  return { prefecture, city, addressLine: text || null, building };
}

/** A name folded for comparison: NFKC, no spaces or punctuation, 「（…）」 kept as plain text. */
export function foldForComparison(value: string): string {
  return normalizeLine(value)
    .replace(/[\s・･、。,.「」『』()[\]（）【】"'"'‘’“”!！?？~〜～\-‐]/g, "")
    .toLowerCase();
}
