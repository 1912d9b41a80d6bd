// Leaflet, in the browser only (it touches `window` on import): loaded lazily by ResultsMap.
// Layers from bottom to top: a bundled outline of Japan (so the map means something when tiles
// cannot load), the tile layer from settings, then clustered markers whose popups link to places.
import L from "leaflet";
import { createBaseMap } from "./base-map.client";

export interface MapPlace {
  id: number;
  name: string;
  lat: number;
  lon: number;
  kindLabel: string;
  address?: string | null;
  nextDate?: string | null;
}

export interface MapOptions {
  tileUrl: string;
  /** Trusted HTML from the server settings (e.g. a link to the tile provider). */
  tileAttribution: string;
  outlineUrl: string;
  /** One place, shown closer and without clustering (the detail page). */
  single?: boolean;
  onTileError?: () => void;
  /** The person moved or zoomed the map (not called for the moves `setPlaces` makes). */
  onUserMove?: () => void;
}

/** A map view in degrees (the shape of /places?bbox=south,west,north,east). */
export interface MapBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface MountedMap {
  /**
   * Shows `places`. The view then fits the places, or the given box (a reloaded area search), or
   * stays where it is ("keep": the person chose this view and searched it).
   */
  setPlaces(places: MapPlace[], view?: MapBox | "keep" | null): void;
  /** The visible area. */
  bounds(): MapBox;
  destroy(): void;
}

const JAPAN_CENTER: L.LatLngExpression = [36.5, 137.5];

function popupContent(place: MapPlace): HTMLElement {
  // Built from DOM nodes, not HTML strings: names come from open data.
  const box = document.createElement("div");
  box.className = "map-popup";
  const link = document.createElement("a");
  link.href = `/places/${place.id}`;
  link.textContent = place.name;
  link.className = "map-popup__name";
  box.append(link);
  for (const text of [place.kindLabel, place.address, place.nextDate ? `次回 ${place.nextDate}` : null]) {
    if (!text) continue;
    const line = document.createElement("p");
    line.textContent = text;
    box.append(line);
  }
  return box;
}

function pinIcon(name: string): L.DivIcon {
  const label = document.createElement("span");
  label.className = "visually-hidden";
  label.textContent = name;
  return L.divIcon({
    className: "map-pin",
    html: `<span class="map-pin__dot" aria-hidden="true"></span>${label.outerHTML}`,
    iconSize: [30, 30],
    iconAnchor: [15, 15],
    popupAnchor: [0, -14],
  });
}

export async function mountMap(container: HTMLElement, options: MapOptions): Promise<MountedMap> {
  // leaflet.markercluster is a UMD plugin that extends the global `L`.
  (window as unknown as { L: typeof L }).L = L;
  await import("leaflet.markercluster");

  const map = createBaseMap(container, {
    center: JAPAN_CENTER,
    zoom: 5,
    tileUrl: options.tileUrl,
    tileAttribution: options.tileAttribution,
    outlineUrl: options.outlineUrl,
    onTileError: options.onTileError,
  });

  const markers = options.single
    ? L.featureGroup()
    : L.markerClusterGroup({
        showCoverageOnHover: false,
        animate: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
        maxClusterRadius: 48,
        spiderfyOnMaxZoom: true,
        iconCreateFunction(cluster) {
          const count = cluster.getChildCount();
          return L.divIcon({
            className: "map-cluster",
            html: `<span>${count}<span class="visually-hidden">か所</span></span>`,
            iconSize: [44, 44],
          });
        },
      });
  markers.addTo(map);

  // Moves made here are not the person's: they must not offer 「このエリアで検索」.
  let moving = false;
  const moveProgrammatically = (move: () => void) => {
    moving = true;
    try {
      move();
    } finally {
      moving = false;
    }
  };
  map.on("moveend", () => {
    if (!moving) options.onUserMove?.();
  });

  function setPlaces(places: MapPlace[], view: MapBox | "keep" | null = null) {
    markers.clearLayers();
    const points: L.LatLng[] = [];
    for (const place of places) {
      const point = L.latLng(place.lat, place.lon);
      points.push(point);
      L.marker(point, { icon: pinIcon(place.name), title: place.name, riseOnHover: true })
        .bindPopup(() => popupContent(place))
        .addTo(markers);
    }
    if (view === "keep") return;
    // No animation: a navigation may remove the map while an animated zoom is still running,
    // and Leaflet then fails on its detached panes.
    moveProgrammatically(() => {
      if (view) map.fitBounds(L.latLngBounds([view.south, view.west], [view.north, view.east]), { animate: false });
      else if (points.length === 1) map.setView(points[0], options.single ? 16 : 15, { animate: false });
      else if (points.length > 1)
        map.fitBounds(L.latLngBounds(points), { padding: [32, 32], maxZoom: 16, animate: false });
      else map.setView(JAPAN_CENTER, 5, { animate: false });
    });
  }

  return {
    setPlaces,
    bounds() {
      const b = map.getBounds();
      return { south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() };
    },
    destroy() {
      map.stop();
      map.off();
      markers.clearLayers();
      map.remove();
    },
  };
}
