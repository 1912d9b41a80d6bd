// The coastline of Japan (public/geo/japan-outline.json, Natural Earth, public domain) for maps
// drawn on the server, read once per process.
import fs from "node:fs";
import path from "node:path";

type Ring = [number, number][];
let cached: Ring[][] | null = null;

export function japanOutline(): Ring[][] {
  if (cached) return cached;
  const file = path.join(process.cwd(), "public", "geo", "japan-outline.json");
  const feature = JSON.parse(fs.readFileSync(file, "utf8")) as { geometry: { type: string; coordinates: Ring[][] } };
  cached = feature.geometry.type === "MultiPolygon" ? feature.geometry.coordinates : [];
  return cached;
}
