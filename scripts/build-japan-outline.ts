// Writes public/geo/japan-outline.json: the outline of Japan (ISO 3166 numeric 392) from the
// world-atlas package (Natural Earth 1:50m, public domain), drawn under the map tiles so markers
// still have a map when no tile server is reachable. The generated file is committed; rerun after
// upgrading world-atlas: `npx tsx scripts/build-japan-outline.ts`.
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { Feature, MultiPolygon, Polygon, Position } from "geojson";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outFile = path.join(root, "public", "geo", "japan-outline.json");
/** 0.001° ≈ 100 m: finer than 1:50m data carries, and it keeps the file small. */
const PRECISION = 1000;

function round(position: Position): Position {
  return [Math.round(position[0] * PRECISION) / PRECISION, Math.round(position[1] * PRECISION) / PRECISION];
}

function roundRing(ring: Position[]): Position[] {
  const rounded = ring.map(round);
  // Drop points that rounding made equal to their predecessor.
  return rounded.filter((p, i) => i === 0 || p[0] !== rounded[i - 1][0] || p[1] !== rounded[i - 1][1]);
}

export async function buildJapanOutline(): Promise<Feature<Polygon | MultiPolygon>> {
  const require = createRequire(import.meta.url);
  const topologyPath = require.resolve("world-atlas/countries-50m.json");
  const topology = JSON.parse(await fs.readFile(topologyPath, "utf8")) as Topology<{ countries: GeometryCollection }>;
  const japan = topology.objects.countries.geometries.find((g) => String(g.id) === "392");
  if (!japan) throw new Error("world-atlas に日本 (id 392) が見つかりません");
  const geo = feature(topology, japan) as Feature<Polygon | MultiPolygon>;
  const geometry: Polygon | MultiPolygon =
    geo.geometry.type === "Polygon"
      ? { type: "Polygon", coordinates: geo.geometry.coordinates.map(roundRing) }
      : { type: "MultiPolygon", coordinates: geo.geometry.coordinates.map((polygon) => polygon.map(roundRing)) };
  return {
    type: "Feature",
    id: "392",
    properties: {
      name: "Japan",
      source: "Natural Earth 1:50m Cultural Vectors (admin 0 countries), via the world-atlas package",
      licence: "Public domain (Natural Earth)",
      attribution: "Made with Natural Earth",
    },
    geometry,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outline = await buildJapanOutline();
  await fs.mkdir(path.dirname(outFile), { recursive: true });
  await fs.writeFile(outFile, `${JSON.stringify(outline)}\n`);
  const { size } = await fs.stat(outFile);
  console.log(`${path.relative(root, outFile)}: ${(size / 1024).toFixed(1)} KiB`);
}
