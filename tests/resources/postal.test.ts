// The bundled postal table (app/resources/postal-codes.json): it is exactly what
// scripts/build-postal-table.ts makes from the open data in db/open-data/, it answers the codes
// found there (and only those), and filling the form from it never replaces typed text.
import fs from "node:fs/promises";
import { expect, test } from "vitest";
import { buildPostalTable, POSTAL_TABLE_FILE, townOf } from "../../scripts/build-postal-table";
import { addressForGeocoding, cityCentre, fillFromPostalCode, lookupPostalCode, postalDigits } from "~/resources/location";

test("the committed table is what the script builds from the bundled open data", async () => {
  const committed = JSON.parse(await fs.readFile(POSTAL_TABLE_FILE, "utf8"));
  expect(committed).toEqual(await buildPostalTable());
  expect(Object.keys(committed.codes).length).toBeGreaterThan(50);
});

test("codes from the bundled 焼津市 data give prefecture, municipality and town", () => {
  // 「くすのき」, 焼津市八楠1丁目5-19 in yohairyosya.csv.
  expect(lookupPostalCode("425-0091")).toEqual({ prefecture: "静岡県", city: "焼津市", town: "八楠" });
  expect(lookupPostalCode("4250091")).toEqual(lookupPostalCode("〒４２５－００９１"));
  // 大井川 area codes begin with 421-02.
  expect(lookupPostalCode("421-0205")?.city).toBe("焼津市");
});

test("codes outside the bundled municipalities are unknown, and malformed codes are not looked up", () => {
  expect(lookupPostalCode("100-0001")).toBeNull(); // 千代田区: not in the bundled data
  expect(lookupPostalCode("425-009")).toBeNull();
  expect(lookupPostalCode("abc")).toBeNull();
  expect(postalDigits("42500911")).toBeNull();
});

test("every code's municipality has a centre for the map to start on", async () => {
  const table = await buildPostalTable();
  for (const [prefecture, city] of Object.values(table.codes)) expect(cityCentre(prefecture, city), `${prefecture}${city}`).not.toBeNull();
  const yaizu = cityCentre("静岡県", "焼津市")!;
  expect(yaizu.lat).toBeGreaterThan(34.7);
  expect(yaizu.lat).toBeLessThan(35);
  expect(yaizu.lon).toBeGreaterThan(138.2);
  expect(yaizu.lon).toBeLessThan(138.4);
  expect(cityCentre("静岡県", "静岡市")).toBeNull();
});

test("filling from the postal code only fills empty fields, and the town only in its own municipality", () => {
  expect(fillFromPostalCode({ postalCode: "425-0091", prefecture: "", city: "", addressLine: "" })).toEqual({
    input: { postalCode: "425-0091", prefecture: "静岡県", city: "焼津市", addressLine: "八楠" },
    filled: ["prefecture", "city", "town"],
  });
  expect(fillFromPostalCode({ postalCode: "425-0091", prefecture: "", city: "", addressLine: "八楠1丁目5-19" }).input.addressLine).toBe("八楠1丁目5-19");
  expect(fillFromPostalCode({ postalCode: "425-0091", prefecture: "愛知県", city: "", addressLine: "" })).toEqual({
    input: { postalCode: "425-0091", prefecture: "愛知県", city: "", addressLine: "" },
    filled: [],
  });
  expect(fillFromPostalCode({ postalCode: "", prefecture: "", city: "" }).filled).toEqual([]);
});

test("the street address's town and the address sent to a geocoder", () => {
  expect(townOf("八楠1丁目5-19 1階")).toBe("八楠");
  expect(townOf("本町5-6-1")).toBe("本町");
  expect(townOf("瑞穂町2")).toBe("瑞穂町");
  expect(townOf("宗高")).toBe("宗高");
  expect(townOf(null)).toBe("");
  expect(addressForGeocoding({ prefecture: "静岡県", city: "焼津市", addressLine: " 本町2丁目16-32 ", building: "本町公民館", name: "サロン" })).toBe("静岡県焼津市本町2丁目16-32");
});
