// The /places result list, the no-results advice, pagination and 「近くをさがす」 (current location
// or an address/station text).
// Every link is a plain /places URL, so paging and filtering work without JavaScript.
import { Form, Link, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { ListedPlace } from "~/models/directory.server";
import { escapeHtml } from "~/utils/html";
import { FILTER_KEYS, hasFilters, NEAR_MAX_LENGTH, placesHref, type PlacesParams } from "~/utils/places-query";

/** One result row as HTML (see ResultList). Every value is escaped. */
export function resultRowHtml(place: ListedPlace): string {
  let html =
    `<li class="result"><h3><a href="/places/${place.id}" data-discover="true">${escapeHtml(place.name)}</a></h3>` +
    `<p class="result__meta"><span class="kind-label">${escapeHtml(place.kindLabel)}</span>`;
  if (place.status === "paused") html += `<span class="badge badge--paused">休止中</span>`;
  if (place.sample) html += `<span class="badge badge--sample" title="架空の場所（サンプルデータ）です">サンプル</span>`;
  if (place.distance) html += `<span class="result__distance">${escapeHtml(place.distance)}</span>`;
  html += "</p>";
  if (place.address) html += `<p>${escapeHtml(place.address)}</p>`;
  if (place.rule) html += `<p class="result__when">${escapeHtml(place.rule)}</p>`;
  if (place.nextDates.length > 0) html += `<p>次回：${escapeHtml(place.nextDates.join("、"))}</p>`;
  if (place.hoursNote) html += `<p>${escapeHtml(place.hoursNote)}</p>`;
  return `${html}</li>`;
}

/**
 * The result list. Its rows are written as one HTML string rather than some two hundred React
 * elements: they have no behaviour of their own, and rendering them as elements cost about a
 * sixth of the whole /places response on the server (issue 2's throughput target). The links in
 * it still navigate inside the app like <Link>: a plain left click is handed to the router (the
 * `data-discover` attribute lets Remix load the place route ahead, as <Link> does); other clicks
 * (new tab, modifier keys) are left to the browser.
 */
export function ResultList({ places }: { places: ListedPlace[] }) {
  const navigate = useNavigate();
  return (
    // The click handler only delegates clicks on the links inside; keyboard users activate those
    // links (Enter fires a click on them), so nothing here needs a key handler.
    <ol
      className="result-list"
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
        const link = event.target instanceof Element ? event.target.closest("a") : null;
        const href = link?.getAttribute("href");
        if (!link || !href?.startsWith("/") || link.target || link.hasAttribute("download")) return;
        event.preventDefault();
        navigate(href);
      }}
      dangerouslySetInnerHTML={{ __html: places.map(resultRowHtml).join("") }}
    />
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
        {params.bbox ? (
          <li>
            <Link to={placesHref(params, { bbox: undefined })}>地図の範囲を外して探す</Link>
            （地図を動かして「このエリアで検索」を押すと、別の範囲を探せます）
          </li>
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

/**
 * 「近くをさがす」: the browser's location when it is allowed (the button appears once JavaScript
 * runs; coordinates are rounded to about 100 m before they go into the URL), and always a text
 * box for an address, station or place name that the server turns into a point (`near`), so it
 * works without JavaScript and when the location is refused. Both keep the keyword and filters.
 */
export function NearSearch({ params }: { params: PlacesParams }) {
  const navigate = useNavigate();
  const [supported, setSupported] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const textRef = useRef<HTMLInputElement>(null);
  useEffect(() => setSupported("geolocation" in navigator), []);

  function locate() {
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
            near: undefined,
            bbox: undefined,
          })
        );
      },
      (error) => {
        setMessage(
          error.code === error.PERMISSION_DENIED
            ? "現在地の利用が許可されていません。下の欄に住所や駅名を入れて探せます。"
            : "現在地を取得できませんでした。下の欄に住所や駅名を入れて探せます。"
        );
        textRef.current?.focus();
      },
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 }
    );
  }

  return (
    <section className="near-search no-print" aria-labelledby="near-heading">
      <div className="near-search__head">
        <h2 id="near-heading" className="near-search__title">
          近くの場所をさがす
        </h2>
        {supported ? (
          <button type="button" className="button" onClick={locate}>
            現在地から探す
          </button>
        ) : null}
      </div>
      <p className="near-search__status" role="status">
        {message}
      </p>
      <Form method="get" action="/places" className="near-search__form">
        {params.q ? <input type="hidden" name="q" value={params.q} /> : null}
        {FILTER_KEYS.flatMap((key) =>
          params[key].map((value) => <input key={`${key}-${value}`} type="hidden" name={key} value={value} />)
        )}
        <label htmlFor="near-text">住所・駅名・地名から探す</label>
        <div className="near-search__row">
          <input
            ref={textRef}
            id="near-text"
            name="near"
            type="text"
            defaultValue={params.near ?? ""}
            maxLength={NEAR_MAX_LENGTH}
            placeholder="例：焼津市本町、練馬区、焼津駅"
            aria-describedby="near-hint"
            autoComplete="street-address"
            enterKeyHint="search"
            required
          />
          <button type="submit" className="button">
            近い順に探す
          </button>
        </div>
        <p id="near-hint" className="near-search__hint">
          入力した言葉を住所や名前に含む登録場所の中心から、近い順に並べます（外部の地図サービスは使いません）。
        </p>
      </Form>
    </section>
  );
}

/** What the page says about the point used for 「近い順」 when it came from typed text. */
export type NearInfo =
  | { found: true; text: string; label: string; matchedText: string; city: string | null; used: number; matched: number }
  | { found: false; text: string };

export function NearNote({ near }: { near: NearInfo }) {
  if (!near.found) {
    return (
      <div className="near-note near-note--missing">
        <p>
          「{near.text}」を住所や名前に含む登録場所が見つからなかったため、近い順には並べていません。
        </p>
        <p>市区町村名や町名（例：焼津市本町、練馬区）、施設の名前でお試しください。</p>
      </div>
    );
  }
  const shortened = near.label !== near.text;
  return (
    <div className="near-note">
      <p>『{near.label}』の周辺（登録された場所の中心）から近い順に表示しています。</p>
      {shortened || near.used < near.matched ? (
        <p className="near-note__detail">
          {shortened ? `「${near.text}」は見つからなかったため、「${near.matchedText}」を含む` : `「${near.text}」を含む`}
          登録場所
          {near.used < near.matched
            ? `${near.matched}件のうち、まとまっている${near.city ? `${near.city}の` : ""}${near.used}件`
            : `${near.used}件${near.city ? `（${near.city}）` : ""}`}
          の中心を使っています。
        </p>
      ) : null}
    </div>
  );
}
