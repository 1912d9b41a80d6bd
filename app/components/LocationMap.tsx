// The registration form's map: a pin the coordinator drags, or places by clicking, to set the
// latitude and longitude fields. An enhancement only: the server renders an empty box (laid out
// only when scripts run, like ResultsMap) and the number fields stay the way to set the point
// without JavaScript or without a pointer.
import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { loader as rootLoader } from "~/root";
import type { MountedPinMap, PinPoint } from "./location-map.client";

export type { PinPoint };

const OUTLINE_URL = "/geo/japan-outline.json";
const JAPAN_CENTRE: PinPoint = { lat: 36.5, lon: 137.5 };

export function LocationMap({
  pin,
  guess,
  onPick,
  describedBy,
}: {
  /** The point in the latitude/longitude fields, when they hold one. */
  pin: PinPoint | null;
  /** Where to start without a point: the municipality's centre, else all of Japan. */
  guess: PinPoint | null;
  onPick: (point: PinPoint) => void;
  describedBy?: string;
}) {
  const rootData = useRouteLoaderData<typeof rootLoader>("root");
  const tileUrl = rootData?.publicEnv.MAP_TILE_URL;
  const tileAttribution = rootData?.publicEnv.MAP_TILE_ATTRIBUTION ?? "";
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MountedPinMap | null>(null);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  // The point the map itself last reported: not moved back to when the fields echo it.
  const lastPicked = useRef<string | null>(null);
  const startRef = useRef({ pin, guess });
  const [status, setStatus] = useState<"loading" | "ready" | "failed">("loading");
  const [tilesFailed, setTilesFailed] = useState(false);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || !tileUrl) return;
    let cancelled = false;
    const { pin: startPin, guess: startGuess } = startRef.current;
    const start = startPin ?? startGuess ?? JAPAN_CENTRE;
    import("./location-map.client")
      .then(({ mountPinMap }) =>
        mountPinMap(container, {
          tileUrl,
          tileAttribution,
          outlineUrl: OUTLINE_URL,
          start,
          startZoom: startPin ? 16 : startGuess ? 13 : 5,
          onPick: (point) => {
            lastPicked.current = `${point.lat},${point.lon}`;
            onPickRef.current(point);
          },
          onTileError: () => setTilesFailed(true),
        })
      )
      .then((mounted) => {
        if (cancelled) {
          mounted.destroy();
          return;
        }
        mapRef.current = mounted;
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
  }, [tileUrl, tileAttribution]);

  // A point typed into the fields or found from the address moves the pin.
  const pinKey = pin ? `${pin.lat},${pin.lon}` : null;
  useEffect(() => {
    if (!pin || !mapRef.current || pinKey === lastPicked.current) return;
    mapRef.current.setPin(pin);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- pinKey stands for pin
  }, [pinKey, status]);

  // No point yet, and the postal code gave a municipality: start the pin there.
  const guessKey = guess ? `${guess.lat},${guess.lon}` : null;
  useEffect(() => {
    if (pin || !guess || !mapRef.current) return;
    mapRef.current.setPin(guess, 13);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- guessKey stands for guess; a pin wins
  }, [guessKey]);

  return (
    <div className="results-map location-map">
      <div className="results-map__frame">
        <div ref={containerRef} className="results-map__canvas" role="region" aria-label="位置を選ぶ地図" aria-describedby={describedBy} data-status={status} />
      </div>
      <div className="results-map__notes" aria-live="polite">
        {status === "failed" ? <p>地図を表示できませんでした。緯度・経度を入力してください。</p> : null}
        {tilesFailed ? <p>地図の画像を読み込めないため、簡易的な地図（日本の輪郭）で表示しています。</p> : null}
      </div>
    </div>
  );
}
