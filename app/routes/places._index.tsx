// `/places`: the search page. Its whole state is in the URL (a GET form and plain links), so it
// works with JavaScript off; the map beside the list shows the same page of results. With
// JavaScript, moving the map offers 「このエリアで検索」 (/api/search with the view's bbox), and
// 「近くをさがす」 uses the browser's location or an address/station text (`near`).
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useLoaderData,
  useLocation,
  useNavigate,
  useNavigation,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useState } from "react";
import type { SearchResult } from "../../search/types";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/ErrorPage";
import { mapLinks, ResultsMap, type MapBox, type MapPlace } from "~/components/ResultsMap";
import { ActiveFilters, PLACES_FORM_ID, PlaceFilters } from "~/components/PlaceFilters";
import { NearNote, NearSearch, NoResults, Pagination, ResultList } from "~/components/PlaceResults";
import {
  directoryFilters,
  PLACES_FACETS,
  sampleIdsAmong,
  searchDirectory,
  toListedPlace,
  type ApiHit,
  type ListedPlace,
} from "~/models/directory.server";
import { locateByText, normalizeLocationText } from "~/models/geocode.server";
import { formatDistance } from "~/utils/format";
import {
  effectiveSort,
  formatBox,
  JAPAN_BOUNDS,
  PAGE_SIZE,
  parsePlacesQuery,
  placesHref,
  QUERY_MAX_LENGTH,
  type PlacesBox,
  type PlacesParams,
} from "~/utils/places-query";
import { pageTitle } from "~/utils/site";

export const links = mapLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parsePlacesQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw data({ message: parsed.message, messageEn: parsed.messageEn }, { status: 400 });
  const { params } = parsed;
  // 「住所・駅名から探す」: the text becomes the centre of the registered places that contain it.
  const located = params.near ? await locateByText(params.near) : null;
  const origin =
    params.lat !== undefined && params.lon !== undefined
      ? { lat: params.lat, lon: params.lon }
      : located
        ? { lat: located.lat, lon: located.lon }
        : undefined;

  const result = await searchDirectory({
    text: params.q,
    filters: directoryFilters(params),
    facets: PLACES_FACETS,
    origin,
    boundingBox: params.bbox,
    // A text that matched nothing gives no point: the list keeps its usual order.
    sort: params.near && !located ? (params.q ? "relevance" : "name") : effectiveSort(params),
    offset: (params.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });

  const now = new Date();
  const sampleIds = await sampleIdsAmong(result.hits.map((hit) => Number(hit.document.id)));
  return {
    params,
    near: params.near
      ? located
        ? {
            found: true as const,
            text: params.near,
            matchedText: located.matchedText,
            // What the point stands for: the text, or the shorter form that matched (焼津駅 → 焼津).
            label: normalizeLocationText(params.near) === located.matchedText ? params.near : located.matchedText,
            city: located.city,
            used: located.used,
            matched: located.matched,
            lat: located.lat,
            lon: located.lon,
          }
        : { found: false as const, text: params.near }
      : null,
    total: result.total,
    pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    facets: result.facets,
    places: result.hits.map((hit) => toListedPlace(hit, now, sampleIds)),
  };
}

/** The URL (path and query) whose loader an area search already answered through /api/search. */
let answeredByAreaSearch: string | null = null;

/**
 * An area search fetches /api/search and then moves the URL to the same state (so reload, back
 * and sharing work, and /places?bbox=… renders the same list without JavaScript); that one
 * navigation need not ask the server again. Every other navigation loads as usual.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ nextUrl, defaultShouldRevalidate }) => {
  if (answeredByAreaSearch !== null && nextUrl.pathname + nextUrl.search === answeredByAreaSearch) {
    answeredByAreaSearch = null;
    return false;
  }
  return defaultShouldRevalidate;
};

interface AreaResult {
  /** `location.search` of the URL this result belongs to. */
  search: string;
  params: PlacesParams;
  total: number;
  facets: SearchResult["facets"];
  places: ListedPlace[];
}

/** An /api/search hit as a list row: the API sends one next date and no rule text. */
function listedFromApi(hit: ApiHit): ListedPlace {
  return {
    id: hit.id,
    name: hit.name,
    kindLabel: hit.kindLabel,
    address: hit.address,
    status: hit.status,
    rule: null,
    nextDates: hit.next ? [hit.next] : [],
    hoursNote: null,
    distance: formatDistance(hit.distanceMeters),
    location: hit.lat !== null && hit.lon !== null ? { lat: hit.lat, lon: hit.lon } : null,
  };
}

/** The map view as a bbox /places accepts: clipped to Japan, null when nothing of Japan is in view. */
function boxInsideJapan(box: MapBox): PlacesBox | null {
  const clipped = {
    south: Math.max(box.south, JAPAN_BOUNDS.south),
    west: Math.max(box.west, JAPAN_BOUNDS.west),
    north: Math.min(box.north, JAPAN_BOUNDS.north),
    east: Math.min(box.east, JAPAN_BOUNDS.east),
  };
  return clipped.south < clipped.north && clipped.west < clipped.east ? clipped : null;
}

export default function PlacesPage() {
  const loaderData = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const [area, setArea] = useState<AreaResult | null>(null);
  const [areaState, setAreaState] = useState<"idle" | "busy" | { error: string }>("idle");
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/places";

  // An area search answered this very URL: show its result; any other URL shows the loader's.
  const current = area && area.search === location.search ? area : null;
  const { params, total, facets, places } = current ?? loaderData;
  const near = loaderData.near;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  async function searchArea(view: MapBox) {
    const box = boxInsideJapan(view);
    if (!box) {
      setAreaState({ error: "日本の範囲が見えるように地図を動かしてから、もう一度お試しください。" });
      return;
    }
    const nextParams: PlacesParams = { ...params, bbox: box, page: 1 };
    const href = placesHref(nextParams);
    const query = new URLSearchParams(href.split("?")[1] ?? "");
    // The API takes a point, not a text: send the point the text was turned into.
    query.delete("near");
    if (near?.found) {
      query.set("lat", String(near.lat));
      query.set("lon", String(near.lon));
    }
    query.set("limit", String(PAGE_SIZE));
    query.set("facets", "1");
    setAreaState("busy");
    try {
      const response = await fetch(`/api/search?${query.toString()}`, { headers: { Accept: "application/json" } });
      const body = (await response.json()) as
        | { total: number; hits: ApiHit[]; facets?: SearchResult["facets"] }
        | { error: { message: string } };
      if (!response.ok || "error" in body) {
        const message = "error" in body ? body.error.message : "";
        setAreaState({ error: `この範囲を検索できませんでした。${message}` });
        return;
      }
      const search = href.includes("?") ? `?${href.split("?")[1]}` : "";
      setArea({ search, params: nextParams, total: body.total, facets: body.facets ?? {}, places: body.hits.map(listedFromApi) });
      setAreaState("idle");
      answeredByAreaSearch = href;
      navigate(href, { preventScrollReset: true });
    } catch {
      setAreaState({ error: "この範囲を検索できませんでした。通信の状態を確かめて、もう一度お試しください。" });
    }
  }

  const mapPlaces: MapPlace[] = places.flatMap((p) =>
    p.location
      ? [
          {
            id: p.id,
            name: p.name,
            lat: p.location.lat,
            lon: p.location.lon,
            kindLabel: p.kindLabel,
            address: p.address,
            nextDate: p.nextDates[0] ?? null,
          },
        ]
      : []
  );
  const firstShown = total === 0 ? 0 : (params.page - 1) * PAGE_SIZE + 1;
  const lastShown = Math.min(total, params.page * PAGE_SIZE);
  const byDistance = effectiveSort(params) === "distance" && (params.lat !== undefined || Boolean(near?.found));
  const order = byDistance
    ? near?.found
      ? `・『${near.label}』の周辺（登録された場所の中心）から近い順`
      : "・指定した地点から近い順"
    : "";

  return (
    <>
      <h1>{params.q ? `「${params.q}」の検索結果` : "場所をさがす"}</h1>

      {/* key: a new URL rebuilds the form, so its fields always match the URL after navigation.
          The filters sit in a sidebar outside this element and join it with form="places-form". */}
      <Form
        method="get"
        action="/places"
        id={PLACES_FORM_ID}
        className="places-form"
        key={location.search}
        role="search"
      >
        <div className="search-box">
          <label htmlFor="places-q" className="search-box__label">
            キーワード
          </label>
          <p id="places-q-hint" className="search-box__hint">
            例：サロン、子育て、体操、子ども食堂、地区の名前
          </p>
          <div className="search-box__row">
            <input
              id="places-q"
              name="q"
              type="search"
              defaultValue={params.q ?? ""}
              maxLength={QUERY_MAX_LENGTH}
              placeholder="例：子育て"
              aria-describedby="places-q-hint"
              autoComplete="off"
              enterKeyHint="search"
            />
            <button type="submit" className="button button--primary">
              検索
            </button>
          </div>
        </div>
        {params.lat !== undefined && params.lon !== undefined ? (
          <>
            <input type="hidden" name="lat" value={params.lat} />
            <input type="hidden" name="lon" value={params.lon} />
          </>
        ) : null}
        {params.near ? <input type="hidden" name="near" value={params.near} /> : null}
        {params.bbox ? <input type="hidden" name="bbox" value={formatBox(params.bbox)} /> : null}
      </Form>

      <div className="places-layout">
        <div className="places-sidebar" key={location.search}>
          <PlaceFilters params={params} facets={facets} />
        </div>

        <div className="places-main">
          <ActiveFilters params={params} />
          <NearSearch params={params} key={`near-${location.search}`} />
          {near ? <NearNote near={near} /> : null}

          <h2 className="visually-hidden">検索結果</h2>
          <p className="result-count" role="status" aria-live="polite">
            {searching || areaState === "busy" ? (
              params.bbox || areaState === "busy" ? "地図の範囲を検索しています…" : "検索しています…"
            ) : (
              <>
                {params.bbox ? "地図の範囲内で " : null}
                {total.toLocaleString("ja-JP")}件
                {total > 0 ? (
                  <small>
                    （{firstShown}〜{lastShown}件目を表示{order}）
                  </small>
                ) : null}
              </>
            )}
          </p>
          {typeof areaState === "object" ? (
            <p className="form-error" role="alert">
              {areaState.error}
            </p>
          ) : null}

          <div className="places-results">
            <div className="places-list">
              {total === 0 ? (
                <NoResults params={params} />
              ) : places.length === 0 ? (
                <div className="no-results">
                  <p>このページには結果がありません。</p>
                  <p>
                    <Link to={placesHref(params, { page: 1 })}>1ページ目に戻る</Link>
                  </p>
                </div>
              ) : (
                <ResultList places={places} />
              )}
            </div>
            <ResultsMap
              places={mapPlaces}
              missingCount={places.length - mapPlaces.length}
              label="検索結果の地図（一覧と同じ場所を表示）"
              fit={current ? "keep" : (params.bbox ?? null)}
              onAreaSearch={searchArea}
              areaSearchBusy={areaState === "busy"}
            />
          </div>

          {pageCount > 1 ? <Pagination params={params} pageCount={pageCount} /> : null}
        </div>
      </div>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, error }) => {
  if (error || !loaderData) return [{ title: pageTitle(errorPageTitle(error)) }];
  const { params, total } = loaderData;
  const what = params.q ? `「${params.q}」の検索結果` : "場所をさがす";
  const page = params.page > 1 ? `（${params.page}ページ目）` : "";
  return [{ title: pageTitle(`${what} ${total}件${page}`) }, { name: "robots", content: "noindex, follow" }];
};

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
