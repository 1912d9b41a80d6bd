// Writes app/resources/postal-codes.json: 郵便番号 → prefecture, municipality (and the town when
// every row agrees), plus a centre point per municipality for the form's map. Built only from
// the open data bundled in db/open-data/ (see its ATTRIBUTION.md), so it covers the bundled
// municipalities and nothing else. The generated file is committed; rerun after changing the
// bundled data: `npx tsx scripts/build-postal-table.ts`.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readCsv } from "../app/import/csv";
import { normalizeLine, normalizePostalCode, parseCoordinates, splitAddress } from "../app/import/normalize";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const POSTAL_TABLE_FILE = path.join(root, "app", "resources", "postal-codes.json");

/** How each bundled file names its columns. `prefecture`/`city` are defaults when a row omits them. */
interface SourceFile {
  file: string;
  postal?: string;
  prefecture?: string;
  city?: string;
  town?: string;
  address?: string;
  latitude: string;
  longitude: string;
  defaults: { prefecture: string | null; city: string | null };
}

export const SOURCES: SourceFile[] = [
  {
    file: "db/open-data/yaizu/yohairyosya.csv",
    postal: "郵便番号",
    address: "所在地",
    latitude: "緯度",
    longitude: "経度",
    defaults: { prefecture: "静岡県", city: "焼津市" },
  },
  {
    file: "db/open-data/kudamatsu/352071_care_service.csv",
    postal: "郵便番号",
    prefecture: "所在地_都道府県",
    city: "所在地_市区町村",
    town: "所在地_町字",
    latitude: "緯度",
    longitude: "経度",
    defaults: { prefecture: "山口県", city: "下松市" },
  },
  // No postal codes in these: they only give municipality centres.
  ...["222127_public_facility-59773.csv", "222127_community_center.csv", "222127_child_rearing_support_center.csv"].map((name) => ({
    file: `db/open-data/yaizu/${name}`,
    prefecture: "都道府県名",
    city: "市区町村名",
    latitude: "緯度",
    longitude: "経度",
    defaults: { prefecture: "静岡県", city: "焼津市" },
  })),
  {
    file: "db/open-data/tokyo-kodomoshokudo/tokyo_kodomoshokudo_final.csv",
    prefecture: "都道府県",
    city: "市区町村名",
    latitude: "緯度",
    longitude: "経度",
    defaults: { prefecture: "東京都", city: null },
  },
];

export interface PostalTable {
  source: string;
  /** "4250091" → [prefecture, municipality, town or ""]. */
  codes: Record<string, [string, string, string]>;
  /** "静岡県焼津市" → [lat, lon]: the median of the bundled places there. */
  cities: Record<string, [number, number]>;
}

/** The town (町字) of a street address: everything before the first digit (「八楠1丁目5-19」 → 「八楠」). */
export function townOf(addressLine: string | null): string {
  if (!addressLine) return "";
  const match = /^([^\d\s]+?)(?:[一二三四五六七八九十]+丁目)?(?=\d|$|\s)/.exec(normalizeLine(addressLine));
  return match ? match[1] : "";
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function buildPostalTable(): Promise<PostalTable> {
  const seen = new Map<string, { prefecture: string; city: string; towns: Set<string> }>();
  const conflicts = new Set<string>();
  const points = new Map<string, { lat: number[]; lon: number[] }>();
  for (const source of SOURCES) {
    const table = readCsv(await fs.readFile(path.join(root, source.file)));
    for (const { values } of table.records) {
      const cell = (name?: string) => (name ? normalizeLine(values[name] ?? "") : "");
      const parts = source.address
        ? splitAddress(cell(source.address), { ...source.defaults, knownCities: source.defaults.city ? [source.defaults.city] : [] })
        : { prefecture: cell(source.prefecture) || source.defaults.prefecture, city: cell(source.city) || source.defaults.city, addressLine: cell(source.town) || null };
      const prefecture = parts.prefecture;
      const city = parts.city;
      if (!prefecture || !city) continue;
      const point = parseCoordinates(values[source.latitude], values[source.longitude]);
      if (point) {
        const key = `${prefecture}${city}`;
        const entry = points.get(key) ?? { lat: [], lon: [] };
        entry.lat.push(point.latitude);
        entry.lon.push(point.longitude);
        points.set(key, entry);
      }
      const code = source.postal ? normalizePostalCode(values[source.postal])?.replace("-", "") : null;
      if (!code) continue;
      const town = townOf(source.town ? cell(source.town) : parts.addressLine);
      const known = seen.get(code);
      if (!known) seen.set(code, { prefecture, city, towns: new Set(town ? [town] : []) });
      else if (known.prefecture !== prefecture || known.city !== city) conflicts.add(code);
      else if (town) known.towns.add(town);
    }
  }
  const codes: PostalTable["codes"] = {};
  for (const [code, entry] of [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A code that two rows place in different municipalities is a typo in one of them: left out.
    if (conflicts.has(code)) continue;
    codes[code] = [entry.prefecture, entry.city, entry.towns.size === 1 ? [...entry.towns][0] : ""];
  }
  const cities: PostalTable["cities"] = {};
  for (const [key, { lat, lon }] of [...points.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    cities[key] = [Math.round(median(lat) * 1e4) / 1e4, Math.round(median(lon) * 1e4) / 1e4];
  }
  return {
    source: "Built by scripts/build-postal-table.ts from the open data in db/open-data/ (see db/open-data/ATTRIBUTION.md); covers only those municipalities.",
    codes,
    cities,
  };
}

export async function writePostalTable(): Promise<PostalTable> {
  const table = await buildPostalTable();
  // One entry per line: small diffs when the bundled data changes.
  const lines = (entries: Record<string, unknown>) =>
    Object.entries(entries)
      .map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join(",\n");
  const text = `{\n  "source": ${JSON.stringify(table.source)},\n  "codes": {\n${lines(table.codes)}\n  },\n  "cities": {\n${lines(table.cities)}\n  }\n}\n`;
  await fs.writeFile(POSTAL_TABLE_FILE, text);
  return table;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const table = await writePostalTable();
  console.log(`${path.relative(root, POSTAL_TABLE_FILE)}: ${Object.keys(table.codes).length} postal codes, ${Object.keys(table.cities).length} municipalities`);
}
