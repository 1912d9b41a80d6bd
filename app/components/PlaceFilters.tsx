// The /places filters: checkbox groups with facet counts (joined to the search form by its id, so
// they work as a plain GET form without JavaScript) and the chips that remove one chosen filter.
import { Link } from "@remix-run/react";
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
import type { SearchResult } from "../../search/types";
import { escapeHtml } from "~/utils/html";
import { hasFilters, placesHref, toggleValue, type PlacesParams } from "~/utils/places-query";

/** The id of the search form on /places that these fields belong to. */
export const PLACES_FORM_ID = "places-form";
const FORM_ID = PLACES_FORM_ID;

type Facets = SearchResult["facets"];

interface Option {
  value: string;
  label: string;
  count: number;
}

function optionsFor(
  vocabulary: readonly { code: string; label: string }[],
  counts: Record<string, number> | undefined,
  selected: readonly string[]
): Option[] {
  return vocabulary
    .map((item) => ({ value: item.code, label: item.label, count: counts?.[item.code] ?? 0 }))
    .filter((option) => option.count > 0 || selected.includes(option.value));
}

export function PlaceFilters({ params, facets }: { params: PlacesParams; facets: Facets }) {
  const selectedCount =
    params.kind.length + params.target.length + params.area.length + params.condition.length + params.day.length;
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
      <summary>条件で絞り込む{selectedCount > 0 ? `（${selectedCount}件選択中）` : ""}</summary>
      <div className="filters__body">
        <div
          className="filters__groups"
          // Plain checkboxes only: see facetGroupHtml.
          dangerouslySetInnerHTML={{
            __html: [
              facetGroupHtml({
                legend: "種類",
                name: "kind",
                options: optionsFor(RESOURCE_KINDS, facets.kind, params.kind),
                selected: params.kind,
              }),
              facetGroupHtml({
                legend: "どなた向け",
                name: "target",
                options: optionsFor(TARGET_GROUPS, facets.targetGroups, params.target),
                selected: params.target,
              }),
              facetGroupHtml({
                legend: "地域",
                name: "area",
                options: areaOptions,
                selected: params.area,
                collapseAfter: 8,
                moreLabel: "ほかの地域",
              }),
              facetGroupHtml({
                legend: "曜日",
                name: "day",
                options: optionsFor(
                  WEEKDAYS.map((w) => ({ code: w.code, label: w.long })),
                  facets.weekdays,
                  params.day
                ),
                selected: params.day,
                inline: true,
              }),
              facetGroupHtml({
                legend: "参加の条件",
                name: "condition",
                options: optionsFor(CONDITIONS, facets.conditions, params.condition),
                selected: params.condition,
              }),
            ].join(""),
          }}
        />
        <div className="filters__sort">
          <label htmlFor="places-sort">並び順</label>
          <select id="places-sort" form={FORM_ID} name="sort" defaultValue={params.sort ?? ""}>
            <option value="">おすすめ順</option>
            {params.q ? <option value="relevance">キーワードに合う順</option> : null}
            <option value="name">名前順</option>
            {params.lat !== undefined || params.near ? (
              <option value="distance">{params.near ? `『${params.near}』から近い順` : "指定した地点から近い順"}</option>
            ) : null}
          </select>
        </div>
        <div className="filters__actions">
          <button type="submit" form={FORM_ID} className="button button--primary">
            この条件で検索
          </button>
          {hasFilters(params) ? (
            <Link to={placesHref(params, { kind: [], target: [], area: [], condition: [], day: [] })}>
              条件をすべて外す
            </Link>
          ) : null}
        </div>
      </div>
    </details>
  );
}

interface FacetGroupSpec {
  legend: string;
  name: string;
  options: Option[];
  selected: readonly string[];
  /** Short labels (weekdays) flow side by side. */
  inline?: boolean;
  /** Long lists (forty areas) show this many and fold the rest into a <details>. */
  collapseAfter?: number;
  moreLabel?: string;
}

function optionListHtml({ name, selected, inline = false }: FacetGroupSpec, list: Option[]): string {
  let html = `<ul class="${inline ? "option-list option-list--inline" : "option-list"}">`;
  for (const option of list) {
    const id = escapeHtml(`f-${name}-${option.value}`);
    html +=
      `<li><label class="option" for="${id}"><input type="checkbox" form="${FORM_ID}" id="${id}" name="${name}"` +
      ` value="${escapeHtml(option.value)}"${selected.includes(option.value) ? " checked" : ""}/>` +
      `<span>${escapeHtml(option.label)} <span class="count">(${option.count}件)</span></span></label></li>`;
  }
  return `${html}</ul>`;
}

/**
 * One checkbox group as HTML. The groups hold most of the page (some eighty options with counts)
 * and have no behaviour of their own — plain checkboxes of the GET form — so they are written as
 * one string instead of hundreds of React elements: the same markup at a fraction of the server
 * rendering cost (/places throughput, issue 2). Every value is escaped.
 */
export function facetGroupHtml(spec: FacetGroupSpec): string {
  const { legend, options, selected, collapseAfter, moreLabel = "ほかの項目" } = spec;
  if (options.length === 0) return "";
  const folded = collapseAfter !== undefined && options.length > collapseAfter + 2;
  const shown = folded ? options.slice(0, collapseAfter) : options;
  const rest = folded ? options.slice(collapseAfter) : [];
  let html = `<fieldset><legend>${escapeHtml(legend)}</legend>${optionListHtml(spec, shown)}`;
  if (rest.length > 0) {
    const open = rest.some((o) => selected.includes(o.value)) ? " open" : "";
    html += `<details class="more-options"${open}><summary>${escapeHtml(moreLabel)}（${rest.length}）</summary>`;
    html += `${optionListHtml(spec, rest)}</details>`;
  }
  return `${html}</fieldset>`;
}

export function ActiveFilters({ params }: { params: PlacesParams }) {
  const chips: { key: string; label: string; href: string }[] = [
    ...params.kind.map((v) => ({
      key: `kind-${v}`,
      label: kindLabel(v),
      href: placesHref(params, toggleValue(params, "kind", v)),
    })),
    ...params.target.map((v) => ({
      key: `target-${v}`,
      label: targetGroupLabel(v),
      href: placesHref(params, toggleValue(params, "target", v)),
    })),
    ...params.area.map((v) => ({
      key: `area-${v}`,
      label: v,
      href: placesHref(params, toggleValue(params, "area", v)),
    })),
    ...params.day.map((v) => ({
      key: `day-${v}`,
      label: WEEKDAYS.find((w) => w.code === v)?.long ?? v,
      href: placesHref(params, toggleValue(params, "day", v)),
    })),
    ...params.condition.map((v) => ({
      key: `cond-${v}`,
      label: conditionLabel(v),
      href: placesHref(params, toggleValue(params, "condition", v)),
    })),
  ];
  if (params.lat !== undefined) {
    chips.push({
      key: "location",
      label: "指定した地点",
      href: placesHref(params, { lat: undefined, lon: undefined, sort: undefined }),
    });
  }
  if (params.near) {
    chips.push({
      key: "near",
      label: `『${params.near}』の周辺`,
      href: placesHref(params, { near: undefined, sort: undefined }),
    });
  }
  if (params.bbox) {
    chips.push({ key: "bbox", label: "地図の範囲", href: placesHref(params, { bbox: undefined }) });
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
