// Location helpers for the registration form, shared by the browser (autofill on blur, the map's
// starting point) and the server (autofill on submit). The postal table is generated from the
// bundled open data by scripts/build-postal-table.ts, so it knows only those municipalities.
import table from "./postal-codes.json";

export interface PostalPlace {
  prefecture: string;
  city: string;
  /** 町字 when every bundled row with the code agrees on it, else "". */
  town: string;
}

const codes = table.codes as unknown as Record<string, [string, string, string]>;
const cities = table.cities as unknown as Record<string, [number, number]>;

/** 「425-0091」, 「4250091」, 「〒４２５－００９１」 → 7 digits; anything else → null. */
export function postalDigits(text: string): string | null {
  const digits = text
    .normalize("NFKC")
    .replace(/^〒\s*/, "")
    .replace(/[‐‑–—−ー－-]/g, "")
    .trim();
  return /^\d{7}$/.test(digits) ? digits : null;
}

export function lookupPostalCode(text: string): PostalPlace | null {
  const digits = postalDigits(text);
  const entry = digits ? codes[digits] : undefined;
  return entry ? { prefecture: entry[0], city: entry[1], town: entry[2] } : null;
}

/** A point in the municipality (the median of its bundled places), for the map to start on. */
export function cityCentre(prefecture: string, city: string): { lat: number; lon: number } | null {
  const point = cities[`${prefecture}${city}`];
  return point ? { lat: point[0], lon: point[1] } : null;
}

/**
 * The posted form with prefecture, municipality and town filled in from the postal code where the
 * coordinator left them empty. Nothing typed is ever replaced.
 */
export function fillFromPostalCode<T extends Record<string, unknown>>(input: T): { input: T; filled: (keyof PostalPlace)[] } {
  const code = typeof input.postalCode === "string" ? input.postalCode : "";
  const place = lookupPostalCode(code);
  if (!place) return { input, filled: [] };
  const empty = (name: string) => typeof input[name] !== "string" || (input[name] as string).trim() === "";
  const next: Record<string, unknown> = { ...input };
  const filled: (keyof PostalPlace)[] = [];
  if (empty("prefecture")) {
    next.prefecture = place.prefecture;
    filled.push("prefecture");
  }
  // The municipality only makes sense with its own prefecture.
  if (empty("city") && next.prefecture === place.prefecture) {
    next.city = place.city;
    filled.push("city");
  }
  if (place.town && empty("addressLine") && next.prefecture === place.prefecture && next.city === place.city) {
    next.addressLine = place.town;
    filled.push("town");
  }
  return { input: next as T, filled };
}

/** The address a geocoder is asked about: prefecture, municipality and street (no building name). */
export function addressForGeocoding(values: Record<string, unknown>): string {
  const part = (name: string) => (typeof values[name] === "string" ? (values[name] as string).trim() : "");
  return [part("prefecture"), part("city"), part("addressLine")].join("");
}

/** 「『静岡県焼津市本町二丁目』の位置を…」: the same words with and without JavaScript. */
export function geocodedMessage(title: string): string {
  return `「${title}」の位置を緯度・経度に入れました。地図のピンの位置を確かめてください（まだ保存していません）。`;
}
