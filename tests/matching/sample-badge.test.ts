// The fictional sample venues are labelled サンプル on /places and /places/:id; real open-data
// entries are not.
import { afterAll, beforeAll, expect, test } from "vitest";
import { resultRowHtml } from "~/components/PlaceResults";
import { loadSampleResources } from "~/models/sample-data.server";
import { loader as placesLoader } from "~/routes/places._index";
import { loader as placeLoader } from "~/routes/places.$id";
import { fillIndexFromDatabase } from "../../search/engine.server";
import { createTestApp } from "../helpers/app";

let app: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  app = await createTestApp();
  await loadSampleResources(app);
  await fillIndexFromDatabase(app);
});
afterAll(async () => {
  await app?.cleanup();
});

async function places(query: string) {
  return placesLoader({ request: new Request(`http://localhost/places${query}`), params: {}, context: {} });
}

test("sample venues carry the サンプル badge in the /places list, real entries do not", async () => {
  const result = await places("?q=%E3%82%B5%E3%83%AD%E3%83%B3&area=%E7%84%BC%E6%B4%A5%E5%B8%82"); // q=サロン&area=焼津市
  const sample = result.places.find((p) => p.name === "浜通りいきいきサロン");
  expect(sample?.sample).toBe(true);
  expect(resultRowHtml(sample!)).toContain(`<span class="badge badge--sample" title="架空の場所（サンプルデータ）です">サンプル</span>`);

  const real = (await places("?kind=kominkan")).places[0];
  expect(real.sample).toBeUndefined();
  expect(resultRowHtml(real)).not.toContain("サンプル");
});

test("a sample venue's page says it is fictional; a real one does not", async () => {
  const list = await places("?q=%E3%81%BF%E3%81%AA%E3%81%A8%E5%AD%90%E3%81%A9%E3%82%82%E9%A3%9F%E5%A0%82"); // みなと子ども食堂
  const id = list.places.find((p) => p.name === "みなと子ども食堂")!.id;
  const page = await placeLoader({ request: new Request(`http://localhost/places/${id}`), params: { id: String(id) }, context: {} });
  expect(page.place.sample).toBe(true);
  expect(page.source).toMatchObject({ publisher: "地域資源ポータル（サンプル）", attribution: "サンプルデータ：架空の場所です" });

  const realId = (await places("?kind=kominkan")).places[0].id;
  const realPage = await placeLoader({ request: new Request(`http://localhost/places/${realId}`), params: { id: String(realId) }, context: {} });
  expect(realPage.place.sample).toBe(false);
});
