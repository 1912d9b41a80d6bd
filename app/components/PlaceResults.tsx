// The /places result list, the no-results advice, pagination and the 「現在地から」 button.
// Every link is a plain /places URL, so paging and filtering work without JavaScript.
import { Link, useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { ListedPlace } from "~/models/directory.server";
import { hasFilters, placesHref, type PlacesParams } from "~/utils/places-query";

export function ResultList({ places }: { places: ListedPlace[] }) {
  return (
    <ol className="result-list">
      {places.map((place) => (
        <li key={place.id} className="result">
          <h3>
            <Link to={`/places/${place.id}`}>{place.name}</Link>
          </h3>
          <p className="result__meta">
            <span className="kind-label">{place.kindLabel}</span>
            {place.status === "paused" ? <span className="badge badge--paused">休止中</span> : null}
            {place.distance ? <span className="result__distance">{place.distance}</span> : null}
          </p>
          {place.address ? <p>{place.address}</p> : null}
          {place.rule ? <p className="result__when">{place.rule}</p> : null}
          {place.nextDates.length > 0 ? <p>次回：{place.nextDates.join("、")}</p> : null}
          {place.hoursNote ? <p>{place.hoursNote}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export function NoResults({ params }: { params: PlacesParams }) {
  return (
    <div className="no-results">
      <h2>条件に合う場所が見つかりませんでした</h2>
      <p>次のことをお試しください。</p>
      <ul>
        {params.q ? (
          <li>キーワードを短くする、別の言葉やひらがなで入力する（例：「子育て」「こそだて」「体操」）</li>
        ) : null}
        {hasFilters(params) ? (
          <li>
            <Link to={placesHref(params, { kind: [], target: [], area: [], condition: [], day: [] })}>
              絞り込みの条件を外して探す
            </Link>
          </li>
        ) : null}
        <li>
          <Link to="/places">すべての場所を見る</Link>
        </li>
        <li>
          どこに行けばよいかわからないときは、<Link to="/places?kind=consultation">相談窓口</Link>
          にお問い合わせください。
        </li>
      </ul>
    </div>
  );
}

export function Pagination({ params, pageCount }: { params: PlacesParams; pageCount: number }) {
  const current = params.page;
  const pages = new Set<number>([1, pageCount, current - 1, current, current + 1]);
  const shown = [...pages].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  const items: (number | "gap")[] = [];
  for (const page of shown) {
    const previous = items[items.length - 1];
    if (typeof previous === "number" && page - previous > 1) items.push("gap");
    items.push(page);
  }
  return (
    <nav className="pagination" aria-label="ページ送り">
      <ul>
        {current > 1 ? (
          <li>
            <Link to={placesHref(params, { page: current - 1 })} rel="prev">
              ← 前へ
            </Link>
          </li>
        ) : null}
        {items.map((item, i) =>
          item === "gap" ? (
            <li key={`gap-${i}`}>
              <span aria-hidden="true">…</span>
            </li>
          ) : (
            <li key={item}>
              <Link
                to={placesHref(params, { page: item })}
                aria-current={item === current ? "page" : undefined}
                aria-label={`${item}ページ目`}
              >
                {item}
              </Link>
            </li>
          )
        )}
        {current < pageCount ? (
          <li>
            <Link to={placesHref(params, { page: current + 1 })} rel="next">
              次へ →
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** Needs the browser's location, so it only appears once JavaScript runs. Coordinates are rounded
 * to about 100 m before they go into the URL. */
export function NearMeButton({ params }: { params: PlacesParams }) {
  const navigate = useNavigate();
  const [supported, setSupported] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setSupported("geolocation" in navigator), []);
  if (!supported) return null;
  return (
    <p className="no-print">
      <button
        type="button"
        className="button"
        onClick={() => {
          setMessage("現在地を確認しています…");
          navigator.geolocation.getCurrentPosition(
            (position) => {
              setMessage(null);
              const round = (n: number) => Math.round(n * 1000) / 1000;
              navigate(
                placesHref(params, {
                  lat: round(position.coords.latitude),
                  lon: round(position.coords.longitude),
                  sort: "distance",
                })
              );
            },
            () => setMessage("現在地を取得できませんでした。地域やキーワードでお探しください。"),
            { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 }
          );
        }}
      >
        現在地から近い順に並べる
      </button>
      {message ? <span role="status"> {message}</span> : null}
    </p>
  );
}
