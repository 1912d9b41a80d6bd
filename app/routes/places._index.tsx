// `/places`: the search page. Its whole state is in the URL (a GET form and plain links), so it
// works with JavaScript off; the map beside the list shows the same page of results.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/ErrorPage";
import { mapLinks, ResultsMap, type MapPlace } from "~/components/ResultsMap";
import { ActiveFilters, PLACES_FORM_ID, PlaceFilters } from "~/components/PlaceFilters";
import { NearMeButton, NoResults, Pagination, ResultList } from "~/components/PlaceResults";
import { searchDirectory, toListedPlace } from "~/models/directory.server";
import { effectiveSort, PAGE_SIZE, parsePlacesQuery, placesHref, QUERY_MAX_LENGTH } from "~/utils/places-query";
import { pageTitle } from "~/utils/site";

export const links = mapLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parsePlacesQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw data({ message: parsed.message, messageEn: parsed.messageEn }, { status: 400 });
  const { params } = parsed;
  const origin =
    params.lat !== undefined && params.lon !== undefined ? { lat: params.lat, lon: params.lon } : undefined;

  const result = await searchDirectory({
    text: params.q,
    filters: {
      kind: params.kind,
      targetGroups: params.target,
      area: params.area,
      conditions: params.condition,
      weekdays: params.day,
    },
    facets: ["kind", "targetGroups", "area", "conditions", "weekdays"],
    origin,
    sort: effectiveSort(params),
    offset: (params.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });

  const now = new Date();
  return {
    params,
    total: result.total,
    pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    facets: result.facets,
    places: result.hits.map((hit) => toListedPlace(hit, now)),
  };
}

export default function PlacesPage() {
  const { params, total, pageCount, facets, places } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/places";

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
      </Form>

      <div className="places-layout">
        <div className="places-sidebar" key={location.search}>
          <PlaceFilters params={params} facets={facets} />
        </div>

        <div className="places-main">
          <ActiveFilters params={params} />
          <NearMeButton params={params} />

          <h2 className="visually-hidden">検索結果</h2>
          <p className="result-count" role="status" aria-live="polite">
            {searching ? (
              "検索しています…"
            ) : (
              <>
                {total.toLocaleString("ja-JP")}件
                {total > 0 ? (
                  <small>
                    （{firstShown}〜{lastShown}件目を表示
                    {params.lat !== undefined && effectiveSort(params) === "distance" ? "・指定した地点から近い順" : ""}
                    ）
                  </small>
                ) : null}
              </>
            )}
          </p>

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
            <div className="places-results">
              <ResultList places={places} />
              <ResultsMap
                places={mapPlaces}
                missingCount={places.length - mapPlaces.length}
                label="検索結果の地図（一覧と同じ場所を表示）"
              />
            </div>
          )}

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
