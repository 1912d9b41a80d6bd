// Leaflet for the registration form's pin, in the browser only (loaded lazily by LocationMap).
// The same layers as the places map (bundled outline of Japan under the tiles, so the map means
// something with no tile server), plus one draggable marker: dragging it or clicking the map
// reports the new point.
import L from "leaflet";
import { createBaseMap } from "./base-map.client";

export interface PinPoint {
  lat: number;
  lon: number;
}

export interface PinMapOptions {
  tileUrl: string;
  /** Trusted HTML from the server settings. */
  tileAttribution: string;
  outlineUrl: string;
  /** Where the marker starts, and whether that is a chosen point or only a starting guess. */
  start: PinPoint;
  startZoom: number;
  onPick: (point: PinPoint) => void;
  onTileError?: () => void;
}

export interface MountedPinMap {
  /** Moves the marker (and the view) to a point chosen outside the map: typed, geocoded, or a new guess. */
  setPin(point: PinPoint, zoom?: number): void;
  destroy(): void;
}

function pinIcon(): L.DivIcon {
  return L.divIcon({
    className: "map-pin",
    html: '<span class="map-pin__dot" aria-hidden="true"></span><span class="visually-hidden">登録する場所のピン</span>',
    iconSize: [30, 30],
    iconAnchor: [15, 30],
  });
}

export async function mountPinMap(container: HTMLElement, options: PinMapOptions): Promise<MountedPinMap> {
  const map = createBaseMap(container, {
    center: [options.start.lat, options.start.lon],
    zoom: options.startZoom,
    tileUrl: options.tileUrl,
    tileAttribution: options.tileAttribution,
    outlineUrl: options.outlineUrl,
    onTileError: options.onTileError,
  });

  const marker = L.marker([options.start.lat, options.start.lon], {
    icon: pinIcon(),
    draggable: true,
    autoPan: true,
    title: "登録する場所（ドラッグして動かせます）",
    alt: "登録する場所のピン",
  }).addTo(map);

  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  const report = (latLng: L.LatLng) => options.onPick({ lat: round(latLng.lat), lon: round(latLng.lng) });
  marker.on("dragend", () => report(marker.getLatLng()));
  map.on("click", (event: L.LeafletMouseEvent) => {
    marker.setLatLng(event.latlng);
    report(event.latlng);
  });

  return {
    setPin(point, zoom) {
      const latLng = L.latLng(point.lat, point.lon);
      marker.setLatLng(latLng);
      map.setView(latLng, zoom ?? Math.max(map.getZoom(), 15), { animate: false });
    },
    destroy() {
      map.stop();
      map.off();
      map.remove();
    },
  };
}
