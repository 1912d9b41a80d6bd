import { expect, test } from "vitest";
import {
  formatAddress,
  formatCost,
  formatDistance,
  formatLongDate,
  formatPostalCode,
  safeExternalUrl,
  telHref,
} from "~/utils/format";

test("distances read as 約…m below 1 km and 約…km above", () => {
  expect(formatDistance(40)).toBe("約100m");
  expect(formatDistance(830)).toBe("約800m");
  expect(formatDistance(1234)).toBe("約1.2km");
  expect(formatDistance(23_400)).toBe("約23km");
  expect(formatDistance(undefined)).toBeNull();
});

test("only http(s) links from open data become links", () => {
  expect(safeExternalUrl(" https://www.city.yaizu.lg.jp/ ")).toBe("https://www.city.yaizu.lg.jp/");
  expect(safeExternalUrl("javascript:alert(1)")).toBeNull();
  expect(safeExternalUrl("data:text/html,<b>x</b>")).toBeNull();
  expect(safeExternalUrl("www.example.jp")).toBeNull();
  expect(safeExternalUrl(null)).toBeNull();
});

test("phone numbers written in full width or with brackets give a tel: link", () => {
  expect(telHref("054-625-7320")).toBe("tel:0546257320");
  expect(telHref("０５４（６２５）７３２０")).toBe("tel:0546257320");
  expect(telHref("なし")).toBeNull();
});

test("postal codes, addresses, costs and dates read as Japanese", () => {
  expect(formatPostalCode("4250091")).toBe("〒425-0091");
  expect(formatPostalCode("４２５－００９１")).toBe("〒425-0091");
  expect(formatAddress({ prefecture: "静岡県", city: "焼津市", addressLine: "本町5-6-1", building: "アトレ焼津1階" })).toBe(
    "静岡県焼津市本町5-6-1 アトレ焼津1階",
  );
  // Sources that repeat the city in the street part do not print it twice.
  expect(formatAddress({ prefecture: "静岡県", city: "焼津市", addressLine: "焼津市本町5-6-1" })).toBe("静岡県焼津市本町5-6-1");
  expect(formatCost({ costKind: "amount", costYen: 1500, costNote: null })).toBe("1,500円");
  expect(formatCost({ costKind: "free", costYen: null, costNote: "おやつ代のみ実費" })).toBe("無料（おやつ代のみ実費）");
  expect(formatCost({ costKind: "unknown", costYen: null, costNote: null })).toBe("掲載なし（お問い合わせください）");
  expect(formatLongDate("2025-03-12")).toBe("2025年3月12日");
});
