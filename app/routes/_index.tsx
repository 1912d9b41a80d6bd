// `/`: where a resident starts. A keyword box, the kinds of places and the areas with how many
// entries each has, and a prominent way to the consultation desks. Counts come from one facet
// query to the search engine.
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { kindLabel, RESOURCE_KINDS, targetGroupLabel } from "../../db/vocabulary";
import { GeneralErrorBoundary } from "~/components/ErrorPage";
import { SearchBox } from "~/components/SearchBox";
import { getDirectoryCounts } from "~/models/directory.server";
import { pageTitle } from "~/utils/site";

export async function loader() {
  const counts = await getDirectoryCounts();
  const consultation = counts.kinds.find((k) => k.value === "consultation")?.count ?? 0;
  // Kinds in vocabulary order (places people join first, then care services), those with entries only.
  const kindOrder = new Map<string, number>(RESOURCE_KINDS.map((k, i) => [k.code, i]));
  const kinds = counts.kinds
    .filter((k) => k.value !== "consultation")
    .sort((a, b) => (kindOrder.get(a.value) ?? 99) - (kindOrder.get(b.value) ?? 99))
    .map((k) => ({ code: k.value, label: kindLabel(k.value), count: k.count }));
  return {
    total: counts.total,
    consultation,
    kinds,
    areas: counts.areas,
    targetGroups: counts.targetGroups.map((t) => ({ code: t.value, label: targetGroupLabel(t.value), count: t.count })),
  };
}

export default function Index() {
  const { total, consultation, kinds, areas, targetGroups } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>地域の通いの場・相談窓口をさがす</h1>
      <p className="lead">
        サロンや体操教室、子育て支援センター、子ども食堂、公民館など、地域で参加できる場所と、困りごとを相談できる窓口を探せます。
        （掲載 {total.toLocaleString("ja-JP")}件）
      </p>

      <SearchBox id="home-q" large />

      <section className="consult-entry" aria-labelledby="consult-heading">
        <h2 id="consult-heading">どこに相談したらいい？</h2>
        <p>
          暮らし、介護、子育て、障がい、お金のことなど、困りごとは何でも相談できます。
          どこに相談すればよいかわからないときも、まずは近くの相談窓口へ。相談は無料で、内容は守られます。
        </p>
        <Link to="/places?kind=consultation" className="button button--primary">
          相談窓口を見る{consultation > 0 ? `（${consultation}件）` : ""}
        </Link>
      </section>

      <section aria-labelledby="kinds-heading">
        <h2 id="kinds-heading">種類からさがす</h2>
        <ul className="entry-grid">
          {kinds.map((kind) => (
            <li key={kind.code}>
              <Link to={`/places?kind=${encodeURIComponent(kind.code)}`}>
                <span>{kind.label}</span>
                <span className="count">{kind.count}件</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {targetGroups.length > 0 ? (
        <section aria-labelledby="targets-heading">
          <h2 id="targets-heading">どなた向けかでさがす</h2>
          <ul className="entry-grid">
            {targetGroups.map((target) => (
              <li key={target.code}>
                <Link to={`/places?target=${encodeURIComponent(target.code)}`}>
                  <span>{target.label}</span>
                  <span className="count">{target.count}件</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {areas.length > 0 ? (
        <section aria-labelledby="areas-heading">
          <h2 id="areas-heading">地域からさがす</h2>
          <ul className="entry-grid entry-grid--compact">
            {areas.map((area) => (
              <li key={area.value}>
                <Link to={`/places?area=${encodeURIComponent(area.value)}`}>
                  <span>{area.value}</span>
                  <span className="count">{area.count}件</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [
  { title: pageTitle() },
  {
    name: "description",
    content: "地域のサロン、子育て支援センター、子ども食堂、公民館などの参加できる場所と、相談窓口を探せます。",
  },
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
