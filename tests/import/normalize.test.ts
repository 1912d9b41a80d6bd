// Cell values as the directory stores them: phones, postcodes, coordinates, addresses, URLs.
import { expect, test } from "vitest";
import {
  extractEmail,
  extractUrl,
  normalizePhone,
  normalizePostalCode,
  normalizeText,
  parseCoordinates,
  parseCount,
  splitAddress,
} from "../../app/import/normalize";

test("normalizeText folds full-width digits, colons and spaces and keeps line breaks", () => {
  expect(normalizeText("　１０：００～１２：００　")).toBe("10:00~12:00");
  expect(normalizeText("子育て支援センター　みなみ")).toBe("子育て支援センター みなみ");
  expect(normalizeText("就労継続支援Ａ型\r\n生活介護\r\n")).toBe("就労継続支援A型\n生活介護");
  expect(normalizeText("ｽﾀｰﾊﾞﾚｰ\t\t2F")).toBe("スターバレー 2F");
});

test("phone numbers: (054)624-3668 → 054-624-3668, full-width dashes, several numbers kept as text", () => {
  expect(normalizePhone("(054)624-3668")).toBe("054-624-3668");
  expect(normalizePhone("（054）624-3668")).toBe("054-624-3668");
  expect(normalizePhone("054－662-0076")).toBe("054-662-0076");
  expect(normalizePhone("０８３３－４７－２２９４")).toBe("0833-47-2294");
  expect(normalizePhone("（小）054-625-7200、（GH）054-625-8525")).toBe("(小)054-625-7200、(GH)054-625-8525");
  expect(normalizePhone("非公開")).toBeNull();
  expect(normalizePhone("")).toBeNull();
});

test("postal codes", () => {
  expect(normalizePostalCode("425-0091")).toBe("425-0091");
  expect(normalizePostalCode("〒４２５００９１")).toBe("425-0091");
  expect(normalizePostalCode("4250")).toBeNull();
});

test("coordinates outside Japan or missing count as missing, for both values", () => {
  expect(parseCoordinates("34.86313333", "138.320437")).toEqual({ latitude: 34.86313333, longitude: 138.320437 });
  expect(parseCoordinates("", "138.3")).toBeNull();
  expect(parseCoordinates("0", "0")).toBeNull();
  expect(parseCoordinates("138.32", "34.86")).toBeNull(); // swapped columns
  expect(parseCoordinates("非公開", "非公開")).toBeNull();
});

test("addresses: prefecture and city are split off or supplied when the source omits them", () => {
  const yaizu = { prefecture: "静岡県", city: "焼津市" };
  expect(splitAddress("焼津市本町5-6-1", yaizu)).toEqual({ prefecture: "静岡県", city: "焼津市", addressLine: "本町5-6-1", building: null });
  expect(splitAddress("静岡県焼津市宗高1205-1", yaizu).addressLine).toBe("宗高1205-1");
  expect(splitAddress("宗高950‐1", yaizu).addressLine).toBe("宗高950-1");
  expect(splitAddress("焼津市八楠1丁目5-19　1階", yaizu, { splitBuilding: true })).toMatchObject({
    addressLine: "八楠1丁目5-19",
    building: "1階",
  });
  expect(
    splitAddress("東京都町田市小川3-2-3", { prefecture: "東京都", city: null, knownCities: ["町田市", "八王子市"] }),
  ).toMatchObject({ city: "町田市", addressLine: "小川3-2-3" });
  expect(splitAddress("東京都江東区森下2ｰ14", { prefecture: "東京都", city: "江東区" }).addressLine).toBe("森下2-14");
});

test("URLs and e-mail addresses are taken out of cells that hold more text", () => {
  expect(extractUrl("大田区社会福祉協議会　ホームページ\nhttps://www.ota-shakyo.jp/kodomo-shokudo")).toBe(
    "https://www.ota-shakyo.jp/kodomo-shokudo",
  );
  expect(extractUrl("なし")).toBeNull();
  expect(extractEmail("連絡先 kitchen@example.jp")).toBe("kitchen@example.jp");
});

test("capacities", () => {
  expect(parseCount("30")).toBe(30);
  expect(parseCount("約50世帯")).toBe(50);
  expect(parseCount("応相談")).toBeNull();
});
