// The base of every Leaflet map (browser only): Japanese zoom controls, the bundled outline of
// Japan under the tiles (so the map means something when no tile server answers), and the tile
// layer from the settings, reporting the first tile error once. Used by the places map and by
// the registration form's pin map.
import L from "leaflet";

export interface BaseMapOptions {
  center: L.LatLngExpression;
  zoom: number;
  tileUrl: string;
  /** Trusted HTML from the server settings (e.g. a link to the tile provider). */
  tileAttribution: string;
  outlineUrl: string;
  onTileError?: () => void;
}

const OUTLINE_PANE = "outline";

export function createBaseMap(container: HTMLElement, options: BaseMapOptions): L.Map {
  const map = L.map(container, {
    center: options.center,
    zoom: options.zoom,
    minZoom: 4,
    maxZoom: 18,
    scrollWheelZoom: false,
    zoomControl: false,
  });
  L.control.zoom({ zoomInTitle: "拡大", zoomOutTitle: "縮小" }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  // Under the tiles (tilePane is z-index 200): visible exactly where tiles fail to load.
  map.createPane(OUTLINE_PANE).style.zIndex = "150";
  fetch(options.outlineUrl)
    .then((response) => (response.ok ? response.json() : null))
    .then((outline: GeoJSON.GeoJsonObject | null) => {
      if (!outline) return;
      L.geoJSON(outline, {
        pane: OUTLINE_PANE,
        interactive: false,
        attribution: '<a href="https://www.naturalearthdata.com/">Natural Earth</a>',
        style: { color: "#6b6b6b", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map);
    })
    .catch(() => {
      // No outline: markers still show on the plain background.
    });

  let tileErrorReported = false;
  L.tileLayer(options.tileUrl, { attribution: options.tileAttribution, maxZoom: 18 })
    .on("tileerror", () => {
      if (tileErrorReported) return;
      tileErrorReported = true;
      options.onTileError?.();
    })
    .addTo(map);
  return map;
}
