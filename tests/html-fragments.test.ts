// The parts of /places written as HTML strings (facet checkboxes, result rows) escape every value:
// names, areas and addresses come from open data and from staff.
import { expect, test } from "vitest";
import { facetGroupHtml } from "~/components/PlaceFilters";
import { resultRowHtml } from "~/components/PlaceResults";
import type { ListedPlace } from "~/models/directory.server";
import { escapeHtml } from "~/utils/html";

const HOSTILE = `"><script>alert('x')</script><img src=x onerror=alert(1)>&amp;`;


test("escapeHtml escapes the five characters that matter", () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  expect(escapeHtml("子育て支援センター")).toBe("子育て支援センター");
});

test("a result row escapes every field and links to the place", () => {
  const place: ListedPlace = {
    id: 42,
    name: HOSTILE,
    kindLabel: HOSTILE,
    address: HOSTILE,
    status: "paused",
    rule: HOSTILE,
    nextDates: [HOSTILE, "12月2日(火)"],
    hoursNote: HOSTILE,
    distance: "約400m",
    location: null,
  };
  const html = resultRowHtml(place);
  expect(html).not.toContain("<script>");
  expect(html).not.toContain("<img");
  expect(html.match(/&quot;/g)?.length).toBe(6);
  expect(html).toContain('<a href="/places/42" data-discover="true">');
  expect(html).toContain("休止中");
  expect(html).toContain("約400m");
  expect(html).toContain("次回：");
  expect(html.match(/&lt;script&gt;/g)?.length).toBe(6);
});

test("a row without optional fields has no empty paragraphs", () => {
  const html = resultRowHtml({
    id: 1,
    name: "図書館",
    kindLabel: "図書館",
    address: "",
    status: "active",
    rule: null,
    nextDates: [],
    hoursNote: null,
    distance: null,
    location: null,
  });
  expect(html).toBe(
    '<li class="result"><h3><a href="/places/1" data-discover="true">図書館</a></h3><p class="result__meta"><span class="kind-label">図書館</span></p></li>'
  );
});

test("facet checkboxes escape values in ids, values and labels, and keep the selection", () => {
  const html = facetGroupHtml({
    legend: "地域",
    name: "area",
    options: [
      { value: HOSTILE, label: HOSTILE, count: 3 },
      { value: "焼津市", label: "焼津市", count: 120 },
    ],
    selected: ["焼津市"],
  });
  expect(html).not.toContain("<script>");
  expect(html).not.toContain("<img");
  expect(html).toContain('value="焼津市" checked/>');
  expect(html).toContain('form="places-form"');
  expect(html).toContain("(120件)");
  expect(html.startsWith("<fieldset><legend>地域</legend>")).toBe(true);
});

test("long groups fold the rest into a <details>, open when a folded value is chosen", () => {
  const options = Array.from({ length: 12 }, (_, i) => ({ value: `地区${i}`, label: `地区${i}`, count: 12 - i }));
  const closed = facetGroupHtml({ legend: "地域", name: "area", options, selected: [], collapseAfter: 8, moreLabel: "ほかの地域" });
  expect(closed).toContain('<details class="more-options"><summary>ほかの地域（4）</summary>');
  const open = facetGroupHtml({ legend: "地域", name: "area", options, selected: ["地区10"], collapseAfter: 8, moreLabel: "ほかの地域" });
  expect(open).toContain('<details class="more-options" open>');
  expect(facetGroupHtml({ legend: "曜日", name: "day", options: [], selected: [] })).toBe("");
});
