// `/places/print?area=…&kind=…`: a district sheet for residents who use paper — the published
// places of the chosen area(s) and kind(s), grouped by kind (each group starts a new A4 page when
// printed), with address, schedule and next dates, phone, and the source credits at the end.
// Server-rendered, no script needed. A static map (SVG drawn on the server over the coastline, no
// tiles: app/utils/static-map.ts) shows the places as numbered dots; the list carries the numbers.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { kindLabel, RESOURCE_KINDS, statusLabel } from "../../db/vocabulary";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/ErrorPage";
import { attributionOf, listExportResources } from "~/models/export.server";
import { japanOutline } from "~/models/japan-outline.server";
import printStylesHref from "~/styles/print-sheet.css";
import { parseExportFilters } from "~/utils/export-query";
import { formatAddress, formatLongDate } from "~/utils/format";
import { describeSchedules, isoDate, nextOccurrencesOfAll, tokyoNow } from "~/utils/schedule";
import { pageTitle } from "~/utils/site";
import { buildStaticMap } from "~/utils/static-map";

export const links = () => [{ rel: "stylesheet", href: printStylesHref }];

const NEXT_DATES = 3;
/** A sheet is for one district: more than this is a directory, not something to print. */
export const PRINT_MAX_ENTRIES = 500;

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseExportFilters(new URL(request.url).searchParams);
  if (!parsed.ok) throw data({ message: parsed.message, messageEn: parsed.messageEn }, { status: 400 });
  const { kind, area } = parsed.data;
  const list = await listExportResources({ kind, area });
  if (list.length > PRINT_MAX_ENTRIES) {
    throw data(
      {
        message: `該当する場所が${list.length}件あり、印刷用には多すぎます。地域（area）か種類（kind）で絞り込んでください。`,
        messageEn: "Too many places for a printed sheet; filter by area or kind.",
      },
      { status: 400 }
    );
  }
  const now = new Date();
  const order = new Map<string, number>(RESOURCE_KINDS.map((k, i) => [k.code, i]));
  const groups = new Map<string, typeof entries>();
  const entries = list.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    address: formatAddress(r),
    phone: r.phone,
    schedule: describeSchedules(r.schedules),
    hoursNote: r.hoursNote,
    next: r.status === "active" ? nextOccurrencesOfAll(r.schedules, now, NEXT_DATES).map((o) => o.label) : [],
    attribution: attributionOf(r),
    latitude: r.latitude,
    longitude: r.longitude,
    n: 0,
  }));
  for (const entry of entries) groups.set(entry.kind, [...(groups.get(entry.kind) ?? []), entry]);
  const sortedGroups = [...groups.entries()].sort(([a], [b]) => (order.get(a) ?? 99) - (order.get(b) ?? 99));
  // Numbers follow the printed order, so 「3」 on the map is the third entry on the sheet.
  let n = 0;
  for (const [, items] of sortedGroups) for (const item of items) item.n = ++n;
  const map = buildStaticMap(
    entries.flatMap((e) => (e.latitude !== null && e.longitude !== null ? [{ n: e.n, lat: e.latitude, lon: e.longitude }] : [])),
    japanOutline()
  );
  const credits = new Map<string, { licence: string | null; licenceUrl: string | null }>();
  for (const r of list) credits.set(attributionOf(r), { licence: r.source?.licence ?? null, licenceUrl: r.source?.licenceUrl ?? null });
  return {
    filters: { kind: kind.map(kindLabel), area },
    total: entries.length,
    printedOn: formatLongDate(isoDate(tokyoNow(now).date)),
    groups: sortedGroups.map(([code, items]) => ({ code, label: kindLabel(code), items })),
    map,
    unlocated: entries.filter((e) => e.latitude === null || e.longitude === null).length,
    credits: [...credits.entries()].map(([text, c]) => ({ text, ...c })),
  };
}

export default function PrintSheet() {
  const { filters, total, printedOn, groups, credits, map, unlocated } = useLoaderData<typeof loader>();
  const title = [filters.area.join("・"), filters.kind.join("・")].filter(Boolean).join(" ") || "すべての地域";
  return (
    <div className="print-sheet">
      <h1>{`${title} の地域資源一覧`}</h1>
      <p>
        {total}件（{printedOn}現在）。お出かけの前に、電話などで最新の情報をご確認ください。
      </p>
      <p className="no-print">ブラウザーの「印刷」から A4 用紙に印刷できます（種類ごとに改ページします）。</p>
      {groups.length === 0 ? <p>該当する場所はありません。</p> : null}
      {map ? <StaticMapFigure map={map} unlocated={unlocated} /> : null}
      {groups.map((group) => (
        <section key={group.code} className="print-group" aria-labelledby={`group-${group.code}`}>
          <h2 id={`group-${group.code}`}>{`${group.label}（${group.items.length}件）`}</h2>
          {group.items.map((item) => (
            <article key={item.id} className="print-entry">
              <h3>
                <span className="print-entry__n">{item.n}</span>
                {item.name}
                {item.status !== "active" ? `（${statusLabel(item.status)}）` : null}
              </h3>
              <dl>
                <dt>住所</dt>
                <dd>{item.address || "—"}</dd>
                {item.schedule || item.hoursNote ? (
                  <>
                    <dt>日程</dt>
                    <dd>{[item.schedule, item.hoursNote].filter(Boolean).join("。")}</dd>
                  </>
                ) : null}
                {item.next.length > 0 ? (
                  <>
                    <dt>次回</dt>
                    <dd>{item.next.join("、")}</dd>
                  </>
                ) : null}
                <dt>電話</dt>
                <dd>{item.phone ?? "—"}</dd>
              </dl>
            </article>
          ))}
        </section>
      ))}
      <section className="print-credits" aria-labelledby="credits-heading">
        <h2 id="credits-heading">出典</h2>
        <ul>
          {credits.map((credit) => (
            <li key={credit.text}>
              {credit.text}
              {credit.licence ? `（${credit.licence}${credit.licenceUrl ? ` ${credit.licenceUrl}` : ""}）` : null}
            </li>
          ))}
        </ul>
        <p>この一覧は地域資源ポータルの掲載情報から作成しました。</p>
      </section>
    </div>
  );
}

function StaticMapFigure({ map, unlocated }: { map: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["map"]>; unlocated: number }) {
  return (
    <figure className="print-map">
      <svg viewBox={`0 0 ${map.width} ${map.height}`} role="img" aria-label={`地図：${map.markers.length}か所の位置（番号は一覧の番号）`}>
        <rect width={map.width} height={map.height} className="print-map__sea" />
        {map.land ? <path d={map.land} className="print-map__land" /> : null}
        {map.markers.map((m) => (
          <g key={m.n} transform={`translate(${m.x} ${m.y})`}>
            <circle r="8" className="print-map__dot" />
            <text y="3.5" textAnchor="middle" className="print-map__n">
              {m.n}
            </text>
          </g>
        ))}
        <g transform={`translate(12 ${map.height - 14})`}>
          <line x1="0" y1="0" x2={map.scale.px} y2="0" className="print-map__scale" />
          <text x={map.scale.px + 6} y="4" className="print-map__label">
            {map.scale.label}
          </text>
        </g>
        <text x={map.width - 16} y="22" textAnchor="middle" className="print-map__label">
          北↑
        </text>
      </svg>
      <figcaption>
        番号は下の一覧の番号です。海岸線は大まかな目安（Natural Earth）で、道路は描いていません。
        {unlocated > 0 ? `位置が登録されていない${unlocated}か所は地図にありません。` : null}
      </figcaption>
    </figure>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: loaderData, error }) => {
  if (error || !loaderData) return [{ title: pageTitle(errorPageTitle(error)) }];
  return [{ title: pageTitle("印刷用一覧") }, { name: "robots", content: "noindex" }];
};

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
