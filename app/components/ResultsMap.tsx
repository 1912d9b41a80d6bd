// The map beside (or above) a list of places: an enhancement only. The server renders an empty
// box and a note; Leaflet is imported in the browser after hydration. Without JavaScript the box
// is not laid out at all (see the `js` class set in root.tsx) and the list says everything.
import type { LinksFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import leafletStylesHref from "leaflet/dist/leaflet.css";
import clusterStylesHref from "leaflet.markercluster/dist/MarkerCluster.css";
import type { loader as rootLoader } from "~/root";
import type { MapBox, MapPlace, MountedMap } from "./leaflet-map.client";

export type { MapBox, MapPlace };

export const mapLinks: LinksFunction = () => [
  { rel: "stylesheet", href: leafletStylesHref },
  { rel: "stylesheet", href: clusterStylesHref },
];

const OUTLINE_URL = "/geo/japan-outline.json";

export function ResultsMap({
  places,
  missingCount = 0,
  label,
  single = false,
  fit = null,
  onAreaSearch,
  areaSearchBusy = false,
}: {
  places: MapPlace[];
  /** Places in the list that have no coordinates (told to the reader, not drawn). */
  missingCount?: number;
  label: string;
  single?: boolean;
  /** What the view shows: the places (null), this box, or wherever the person left it ("keep"). */
  fit?: MapBox | "keep" | null;
  /** Offers 「このエリアで検索」 once the person moves the map, and calls this with the view. */
  onAreaSearch?: (box: MapBox) => void;
  areaSearchBusy?: boolean;
}) {
  const rootData = useRouteLoaderData<typeof rootLoader>("root");
  const tileUrl = rootData?.publicEnv.MAP_TILE_URL;
  const tileAttribution = rootData?.publicEnv.MAP_TILE_ATTRIBUTION ?? "";
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MountedMap | null>(null);
  const placesRef = useRef(places);
  placesRef.current = places;
  const fitRef = useRef(fit);
  fitRef.current = fit;
  const [status, setStatus] = useState<"loading" | "ready" | "failed">("loading");
  const [tilesFailed, setTilesFailed] = useState(false);
  const [moved, setMoved] = useState(false);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || !tileUrl) return;
    let cancelled = false;
    import("./leaflet-map.client")
      .then(({ mountMap }) =>
        mountMap(container, {
          tileUrl,
          tileAttribution,
          outlineUrl: OUTLINE_URL,
          single,
          onTileError: () => setTilesFailed(true),
          onUserMove: () => setMoved(true),
        })
      )
      .then((mounted) => {
        if (cancelled) {
          mounted.destroy();
          return;
        }
        mapRef.current = mounted;
        mounted.setPlaces(placesRef.current, fitRef.current === "keep" ? null : fitRef.current);
        setStatus("ready");
      })
      .catch(() => {
        if (!cancelled) setStatus("failed");
      });
    return () => {
      cancelled = true;
      mapRef.current?.destroy();
      mapRef.current = null;
    };
  }, [tileUrl, tileAttribution, single]);

  // Same results as the list: redraw when a navigation or an area search brings new places.
  const placesKey = places.map((p) => p.id).join(",");
  const fitKey = fit === "keep" || fit === null ? String(fit) : [fit.south, fit.west, fit.north, fit.east].join(",");
  useEffect(() => {
    mapRef.current?.setPlaces(placesRef.current, fitRef.current);
    if (fitRef.current !== "keep") setMoved(false);
  }, [placesKey, fitKey]);

  return (
    <div className="results-map">
      <div className="results-map__frame">
        <div
          ref={containerRef}
          className="results-map__canvas"
          role="region"
          aria-label={label}
          data-status={status}
        />
        {onAreaSearch && moved && status === "ready" ? (
          <button
            type="button"
            className="button button--primary results-map__area-search"
            disabled={areaSearchBusy}
            onClick={() => {
              const map = mapRef.current;
              if (!map) return;
              setMoved(false);
              onAreaSearch(map.bounds());
            }}
          >
            このエリアで検索
          </button>
        ) : null}
      </div>
      <div className="results-map__notes" aria-live="polite">
        {status === "failed" ? <p>地図を表示できませんでした。一覧からお選びください。</p> : null}
        {tilesFailed ? <p>地図の画像を読み込めないため、簡易的な地図（日本の輪郭）で表示しています。</p> : null}
        {missingCount > 0 ? <p>位置情報のない{missingCount}件は地図に表示していません。</p> : null}
      </div>
      <noscript>
        <p className="results-map__noscript">地図の表示には JavaScript が必要です。一覧からお探しください。</p>
      </noscript>
    </div>
  );
}
