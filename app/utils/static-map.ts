// A static map for paper (the /places/print sheet): the places as numbered dots over the coastline,
// drawn as SVG on the server. No tiles are needed (none are reachable from the server here), so the
// sheet always has its map. The coastline is Natural Earth 1:50m (public/geo/japan-outline.json):
// good enough to show the sea side and the shape of a district, not street level; the sheet says so.
// Pure: geometry in, drawing instructions out.

export interface MapPoint {
  /** The number printed on the dot and in front of the entry in the list. */
  n: number;
  lat: number;
  lon: number;
}

export interface StaticMap {
  width: number;
  height: number;
  /** SVG path data of the land inside the view (may be empty far from any coast). */
  land: string;
  markers: { n: number; x: number; y: number }[];
  /** A scale bar of a round length (e.g. 1 km) in pixels. */
  scale: { px: number; label: string };
}

type Ring = [number, number][];

/** Metres per degree of latitude (a sphere is plenty for a printed district map). */
const M_PER_DEG = 111_320;
/** The smallest view: a single place still shows about a 2 km square around it. */
const MIN_SPAN_M = 2_000;
const SCALE_STEPS_M = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

export function buildStaticMap(points: MapPoint[], outline: Ring[][], size: { width: number; height: number } = { width: 640, height: 420 }): StaticMap | null {
  const located = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  if (located.length === 0) return null;
  const { width, height } = size;
  const lats = located.map((p) => p.lat);
  const lons = located.map((p) => p.lon);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  // Span in metres, with a margin so the outermost dots are not on the edge.
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * M_PER_DEG * kx * 1.15, MIN_SPAN_M);
  const spanY = Math.max((Math.max(...lats) - Math.min(...lats)) * M_PER_DEG * 1.15, MIN_SPAN_M);
  const metresPerPx = Math.max(spanX / width, spanY / height);
  const centreLon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const centreLat = midLat;
  const x = (lon: number) => width / 2 + ((lon - centreLon) * M_PER_DEG * kx) / metresPerPx;
  const y = (lat: number) => height / 2 - ((lat - centreLat) * M_PER_DEG) / metresPerPx;

  // Land: every ring that reaches the view, its points clamped to a frame around the view so the
  // path stays small (far-away coast collapses onto the frame, which is outside what is shown).
  const pad = 20;
  const clampX = (v: number) => Math.min(width + pad, Math.max(-pad, v));
  const clampY = (v: number) => Math.min(height + pad, Math.max(-pad, v));
  const parts: string[] = [];
  for (const polygon of outline) {
    for (const ring of polygon) {
      let inside = false;
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
      for (const [lon, lat] of ring) {
        const px = x(lon), py = y(lat);
        minX = Math.min(minX, px); maxX = Math.max(maxX, px); minY = Math.min(minY, py); maxY = Math.max(maxY, py);
        if (px >= 0 && px <= width && py >= 0 && py <= height) inside = true;
      }
      const covers = minX <= 0 && maxX >= width && minY <= 0 && maxY >= height;
      if (!inside && !covers) continue;
      let previous = "";
      const commands: string[] = [];
      for (const [lon, lat] of ring) {
        const point = `${clampX(x(lon)).toFixed(1)} ${clampY(y(lat)).toFixed(1)}`;
        if (point === previous) continue;
        commands.push(`${commands.length === 0 ? "M" : "L"}${point}`);
        previous = point;
      }
      if (commands.length > 2) parts.push(`${commands.join("")}Z`);
    }
  }

  const target = (width / 4) * metresPerPx;
  const scaleM = [...SCALE_STEPS_M].reverse().find((m) => m <= target) ?? SCALE_STEPS_M[0]!;
  return {
    width,
    height,
    land: parts.join(""),
    markers: located.map((p) => ({ n: p.n, x: Number(x(p.lon).toFixed(1)), y: Number(y(p.lat).toFixed(1)) })),
    scale: { px: Number((scaleM / metresPerPx).toFixed(1)), label: scaleM >= 1_000 ? `${scaleM / 1_000}km` : `${scaleM}m` },
  };
}
