// `/places`: the search page. Its whole state is in the URL (a GET form and plain links), so it
// works with JavaScript off; the map beside the list shows the same page of results.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  CONDITIONS,
  conditionLabel,
  kindLabel,
  RESOURCE_KINDS,
  TARGET_GROUPS,
  targetGroupLabel,
  WEEKDAYS,
} from "../../db/vocabulary";
import type { SearchHit } from "../../search/types";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/ErrorPage";
import { mapLinks, ResultsMap, type MapPlace } from "~/components/ResultsMap";
import { searchDirectory } from "~/models/directory.server";
import { formatDistance } from "~/utils/format";
import {
  effectiveSort,
  hasFilters,
  PAGE_SIZE,
  parsePlacesQuery,
  placesHref,
  QUERY_MAX_LENGTH,
  toggleValue,
  type PlacesParams,
} from "~/utils/places-query";
import { recentNextOccurrences, rememberedDescription, shortenText } from "~/utils/schedule";
import { pageTitle } from "~/utils/site";

export const links = mapLinks;

const FORM_ID = "places-form";

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parsePlacesQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw data({ message: parsed.message, messageEn: parsed.messageEn }, { status: 400 });
  const { params } = parsed;
  const origin = params.lat !== undefined && params.lon !== undefined ? { lat: params.lat, lon: params.lon } : undefined;

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

/** Only what a result row and its map marker show: the list stays light to send and to render. */
function toListedPlace({ document, distanceMeters }: SearchHit, now: Date) {
  const schedules = document.schedules ?? [];
  const next = recentNextOccurrences(schedules, now, 2);
  return {
    id: Number(document.id),
    name: document.name,
    kindLabel: document.kindLabel || kindLabel(document.kind),
    address: document.address,
    status: document.status,
    rule: rememberedDescription(schedules),
    nextDates: next.map((o) => o.label),
    hoursNote: schedules.length === 0 && document.hoursNote ? shortenText(document.hoursNote, 48) : null,
    distance: formatDistance(distanceMeters),
    location: document.location,
  };
}

type ListedPlace = ReturnType<typeof toListedPlace>;

export default function PlacesPage() {
  const { params, total, pageCount, facets, places } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location?.pathname === "/places";

  const mapPlaces: MapPlace[] = places.flatMap((p) =>
    p.location
      ? [{ id: p.id, name: p.name, lat: p.location.lat, lon: p.location.lon, kindLabel: p.kindLabel, address: p.address, nextDate: p.nextDates[0] ?? null }]
      : [],
  );
  const firstShown = total === 0 ? 0 : (params.page - 1) * PAGE_SIZE + 1;
  const lastShown = Math.min(total, params.page * PAGE_SIZE);

  return (
    <>
      <h1>{params.q ? `「${params.q}」の検索結果` : "場所をさがす"}</h1>

      {/* key: a new URL rebuilds the form, so its fields always match the URL after navigation.
          The filters sit in a sidebar outside this element and join it with form="places-form". */}
      <Form method="get" action="/places" id={FORM_ID} className="places-form" key={location.search} role="search">
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
          <Filters params={params} facets={facets} />
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
                    {params.lat !== undefined && effectiveSort(params) === "distance" ? "・指定した地点から近い順" : ""}）
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

type Facets = ReturnType<typeof useLoaderData<typeof loader>>["facets"];

interface Option {
  value: string;
  label: string;
  count: number;
}

function optionsFor(
  vocabulary: readonly { code: string; label: string }[],
  counts: Record<string, number> | undefined,
  selected: readonly string[],
): Option[] {
  return vocabulary
    .map((item) => ({ value: item.code, label: item.label, count: counts?.[item.code] ?? 0 }))
    .filter((option) => option.count > 0 || selected.includes(option.value));
}

function Filters({ params, facets }: { params: PlacesParams; facets: Facets }) {
  const selectedCount = params.kind.length + params.target.length + params.area.length + params.condition.length + params.day.length;
  const [open, setOpen] = useState(selectedCount > 0);
  // On wide screens there is room to show the filters from the start.
  useEffect(() => {
    if (window.matchMedia("(min-width: 64em)").matches) setOpen(true);
  }, []);

  const areaOptions: Option[] = Object.entries(facets.area ?? {})
    .map(([value, count]) => ({ value, label: value, count }))
    .concat(params.area.filter((a) => !(a in (facets.area ?? {}))).map((a) => ({ value: a, label: a, count: 0 })))
    .filter((o) => o.count > 0 || params.area.includes(o.value))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, "ja"));

  return (
    <details className="filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        条件で絞り込む{selectedCount > 0 ? `（${selectedCount}件選択中）` : ""}
      </summary>
      <div className="filters__body">
        <div className="filters__groups">
          <FacetGroup legend="種類" name="kind" options={optionsFor(RESOURCE_KINDS, facets.kind, params.kind)} selected={params.kind} />
          <FacetGroup legend="どなた向け" name="target" options={optionsFor(TARGET_GROUPS, facets.targetGroups, params.target)} selected={params.target} />
          <FacetGroup legend="地域" name="area" options={areaOptions} selected={params.area} collapseAfter={8} moreLabel="ほかの地域" />
          <FacetGroup
            legend="曜日"
            name="day"
            options={optionsFor(
              WEEKDAYS.map((w) => ({ code: w.code, label: w.long })),
              facets.weekdays,
              params.day,
            )}
            selected={params.day}
            inline
            emptyText="曜日の情報がある場所はありません"
          />
          <FacetGroup legend="参加の条件" name="condition" options={optionsFor(CONDITIONS, facets.conditions, params.condition)} selected={params.condition} emptyText="条件の情報がある場所はありません" />
        </div>
        <div className="filters__sort">
          <label htmlFor="places-sort">並び順</label>
          <select id="places-sort" form={FORM_ID} name="sort" defaultValue={params.sort ?? ""}>
            <option value="">
              おすすめ順（{params.lat !== undefined ? "近い順" : params.q ? "キーワードに合う順" : "名前順"}）
            </option>
            {params.q ? <option value="relevance">キーワードに合う順</option> : null}
            <option value="name">名前順</option>
            {params.lat !== undefined ? <option value="distance">指定した地点から近い順</option> : null}
          </select>
        </div>
        <div className="filters__actions">
          <button type="submit" form={FORM_ID} className="button button--primary">
            この条件で検索
          </button>
          {hasFilters(params) ? <Link to={placesHref(params, { kind: [], target: [], area: [], condition: [], day: [] })}>条件をすべて外す</Link> : null}
        </div>
      </div>
    </details>
  );
}

function FacetGroup({
  legend,
  name,
  options,
  selected,
  emptyText,
  inline = false,
  collapseAfter,
  moreLabel = "ほかの項目",
}: {
  legend: string;
  name: string;
  options: Option[];
  selected: readonly string[];
  emptyText?: string;
  /** Short labels (weekdays) flow side by side. */
  inline?: boolean;
  /** Long lists (forty areas) show this many and fold the rest into a <details>. */
  collapseAfter?: number;
  moreLabel?: string;
}) {
  if (options.length === 0 && !emptyText) return null;
  const folded = collapseAfter !== undefined && options.length > collapseAfter + 2;
  const shown = folded ? options.slice(0, collapseAfter) : options;
  const rest = folded ? options.slice(collapseAfter) : [];
  const renderList = (list: Option[]) => (
    <ul className={inline ? "option-list option-list--inline" : "option-list"}>
      {list.map((option) => {
        const id = `f-${name}-${option.value}`;
        return (
          <li key={option.value}>
            <label className="option" htmlFor={id}>
              <input
                type="checkbox"
                form={FORM_ID}
                id={id}
                name={name}
                value={option.value}
                defaultChecked={selected.includes(option.value)}
              />
              <span>
                {option.label} <span className="count">({option.count}件)</span>
              </span>
            </label>
          </li>
        );
      })}
    </ul>
  );
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.length === 0 ? <p className="count">{emptyText}</p> : renderList(shown)}
      {rest.length > 0 ? (
        <details className="more-options" open={rest.some((o) => selected.includes(o.value))}>
          <summary>
            {moreLabel}（{rest.length}）
          </summary>
          {renderList(rest)}
        </details>
      ) : null}
    </fieldset>
  );
}

function ActiveFilters({ params }: { params: PlacesParams }) {
  const chips: { key: string; label: string; href: string }[] = [
    ...params.kind.map((v) => ({ key: `kind-${v}`, label: kindLabel(v), href: placesHref(params, toggleValue(params, "kind", v)) })),
    ...params.target.map((v) => ({ key: `target-${v}`, label: targetGroupLabel(v), href: placesHref(params, toggleValue(params, "target", v)) })),
    ...params.area.map((v) => ({ key: `area-${v}`, label: v, href: placesHref(params, toggleValue(params, "area", v)) })),
    ...params.day.map((v) => ({
      key: `day-${v}`,
      label: WEEKDAYS.find((w) => w.code === v)?.long ?? v,
      href: placesHref(params, toggleValue(params, "day", v)),
    })),
    ...params.condition.map((v) => ({ key: `cond-${v}`, label: conditionLabel(v), href: placesHref(params, toggleValue(params, "condition", v)) })),
  ];
  if (params.lat !== undefined) {
    chips.push({ key: "location", label: "指定した地点", href: placesHref(params, { lat: undefined, lon: undefined, sort: undefined }) });
  }
  if (chips.length === 0) return null;
  return (
    <ul className="active-filters" aria-label="選んでいる条件（押すと外れます）">
      {chips.map((chip) => (
        <li key={chip.key}>
          <Link className="chip" to={chip.href} aria-label={`条件「${chip.label}」を外す`}>
            {chip.label} <span aria-hidden="true">×</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Needs the browser's location, so it only appears once JavaScript runs. Coordinates are rounded
 * to about 100 m before they go into the URL. */
function NearMeButton({ params }: { params: PlacesParams }) {
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
              navigate(placesHref(params, { lat: round(position.coords.latitude), lon: round(position.coords.longitude), sort: "distance" }));
            },
            () => setMessage("現在地を取得できませんでした。地域やキーワードでお探しください。"),
            { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 },
          );
        }}
      >
        現在地から近い順に並べる
      </button>
      {message ? <span role="status"> {message}</span> : null}
    </p>
  );
}

function ResultList({ places }: { places: ListedPlace[] }) {
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

function NoResults({ params }: { params: PlacesParams }) {
  return (
    <div className="no-results">
      <h2>条件に合う場所が見つかりませんでした</h2>
      <p>次のことをお試しください。</p>
      <ul>
        {params.q ? <li>キーワードを短くする、別の言葉やひらがなで入力する（例：「子育て」「こそだて」「体操」）</li> : null}
        {hasFilters(params) ? (
          <li>
            <Link to={placesHref(params, { kind: [], target: [], area: [], condition: [], day: [] })}>絞り込みの条件を外して探す</Link>
          </li>
        ) : null}
        <li>
          <Link to="/places">すべての場所を見る</Link>
        </li>
        <li>
          どこに行けばよいかわからないときは、<Link to="/places?kind=consultation">相談窓口</Link>にお問い合わせください。
        </li>
      </ul>
    </div>
  );
}

function Pagination({ params, pageCount }: { params: PlacesParams; pageCount: number }) {
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
          ),
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
