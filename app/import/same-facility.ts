// Recognising one facility listed twice: by two Yaizu lists (公共施設一覧 and 子育て支援施設 both list
// 親子ふれあい広場), or by a ward and 東京都福祉局 in the Tokyo file. Names must agree after folding
// (「大井川児童センター（とまとぴあ）」 = 「大井川児童センターとまとぴあ」, 「放課後等デイサービス（色えんぴつ）」 ⊇
// 「色えんぴつ」) and the places must be close, or in the same municipality when coordinates are missing.
import { foldForComparison, normalizeLine } from "./normalize";

export interface FacilityIdentity {
  name: string;
  latitude: number | null;
  longitude: number | null;
  area: string | null;
}

/** How far apart two geocodings of one building may be (different geocoders, entrances, annexes). */
export const SAME_PLACE_METRES = 250;

/** The folded full name, the name without its bracketed part, and the bracketed part alone. */
function stripPrefix(name: string, prefixes: readonly string[]): string {
  let line = normalizeLine(name);
  for (const prefix of prefixes) if (prefix && line.startsWith(prefix)) line = line.slice(prefix.length);
  return line;
}

export function nameVariants(name: string, stripPrefixes: readonly string[] = []): Set<string> {
  const line = stripPrefix(name, stripPrefixes);
  const variants = new Set<string>([foldForComparison(line)]);
  const bracketed = /^(.*?)[(（]([^()（）]+)[)）](.*)$/.exec(line);
  if (bracketed) {
    variants.add(foldForComparison(`${bracketed[1]}${bracketed[3]}`));
    variants.add(foldForComparison(bracketed[2]));
  }
  // One- or two-character leftovers (「館」, 「友」) would match unrelated places.
  return new Set([...variants].filter((variant) => variant.length >= 2));
}

export function distanceMetres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export function isSameFacility(a: FacilityIdentity, b: FacilityIdentity, stripPrefixes: readonly string[] = []): boolean {
  const namesA = nameVariants(a.name, stripPrefixes);
  const namesB = nameVariants(b.name, stripPrefixes);
  if (![...namesA].some((variant) => namesB.has(variant))) return false;
  // The very same name in the same municipality is one place even when one list geocoded it badly
  // (公共施設一覧 puts 豊田地域交流センター at another address than the city's own list does).
  const sameFullName = foldForComparison(stripPrefix(a.name, stripPrefixes)) === foldForComparison(stripPrefix(b.name, stripPrefixes));
  if (sameFullName && a.area !== null && a.area === b.area) return true;
  if (a.latitude !== null && a.longitude !== null && b.latitude !== null && b.longitude !== null) {
    return (
      distanceMetres({ latitude: a.latitude, longitude: a.longitude }, { latitude: b.latitude, longitude: b.longitude }) <=
      SAME_PLACE_METRES
    );
  }
  return a.area !== null && a.area === b.area;
}
