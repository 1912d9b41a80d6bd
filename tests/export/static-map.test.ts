// The printed sheet's static map: numbered dots placed by their coordinates over the coastline.
import { describe, expect, test } from "vitest";
import { buildStaticMap } from "../../app/utils/static-map";

// A square island from 138.0–138.2 E, 34.8–35.0 N, and a far one that must be left out.
const island: [number, number][] = [
  [138.0, 34.8],
  [138.2, 34.8],
  [138.2, 35.0],
  [138.0, 35.0],
  [138.0, 34.8],
];
const farIsland: [number, number][] = [
  [130.0, 33.0],
  [130.1, 33.0],
  [130.1, 33.1],
  [130.0, 33.0],
];

describe("buildStaticMap", () => {
  test("no located point → no map", () => {
    expect(buildStaticMap([], [[island]])).toBeNull();
    expect(buildStaticMap([{ n: 1, lat: Number.NaN, lon: 138 }], [[island]])).toBeNull();
  });

  test("east is right and north is up; every dot is inside the picture", () => {
    const map = buildStaticMap(
      [
        { n: 1, lat: 34.9, lon: 138.05 },
        { n: 2, lat: 34.95, lon: 138.15 },
      ],
      [[island]],
      { width: 600, height: 400 }
    )!;
    const [a, b] = map.markers;
    expect(b!.x).toBeGreaterThan(a!.x);
    expect(b!.y).toBeLessThan(a!.y);
    for (const m of map.markers) {
      expect(m.x).toBeGreaterThan(0);
      expect(m.x).toBeLessThan(600);
      expect(m.y).toBeGreaterThan(0);
      expect(m.y).toBeLessThan(400);
    }
  });

  test("draws only the coast that reaches the view", () => {
    const map = buildStaticMap([{ n: 1, lat: 34.9, lon: 138.1 }], [[island], [farIsland]])!;
    // The island covers the whole 2 km view around the point: one ring, clamped to the frame.
    expect(map.land.match(/M/g)).toHaveLength(1);
    const far = buildStaticMap([{ n: 1, lat: 36, lon: 140 }], [[island], [farIsland]])!;
    expect(far.land).toBe("");
  });

  test("a single place shows about 2 km around it, with a round scale bar", () => {
    const map = buildStaticMap([{ n: 7, lat: 34.87, lon: 138.32 }], [], { width: 640, height: 420 })!;
    expect(map.markers).toEqual([{ n: 7, x: 320, y: 210 }]);
    expect(["200m", "500m"]).toContain(map.scale.label);
    expect(map.scale.px).toBeGreaterThan(20);
    expect(map.scale.px).toBeLessThanOrEqual(160);
  });
});
