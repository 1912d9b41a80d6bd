// Reading municipal CSV bytes: encodings, line endings, quoted multi-line cells, header drift,
// and malformed rows reported with their row numbers instead of thrown.
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { expect, test } from "vitest";
import { decodeCsvBytes, parseCsvText, readCsv } from "../../app/import/csv";

const fixture = (name: string) => new URL(`../fixtures/import/${name}`, import.meta.url);
// The fixture is UTF-8 with LF; the BOM, CRLF and CP932 variants are made from it here, so the
// repository holds one readable file and git cannot rewrite the encoded bytes.
const facilityListText = readFileSync(fixture("facility-list.csv"), "utf8");
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const withBom = (text: string) => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
const cp932 = (text: string) => new Uint8Array(iconv.encode(text, "cp932"));
const crlf = (text: string) => text.replace(/\n/g, "\r\n");

test("UTF-8 without BOM, UTF-8 with BOM and CP932 decode to the same table", () => {
  const plain = readCsv(utf8(facilityListText));
  const bom = readCsv(withBom(facilityListText));
  const shiftJis = readCsv(cp932(crlf(facilityListText)));

  expect([plain.encoding, bom.encoding, shiftJis.encoding]).toEqual(["utf-8", "utf-8-bom", "cp932"]);
  expect(bom.records).toEqual(plain.records);
  expect(shiftJis.records).toEqual(plain.records);
  expect(plain.records.map((record) => record.values["名称"])).toEqual([
    "テスト地域交流センター",
    "テスト子育て支援センター",
    "テストコミュニティ防災センター",
  ]);
});

test("a BOM never ends up in the first header name", () => {
  const { header } = readCsv(withBom(facilityListText));
  expect(header[0]).toBe("都道府県コード又は市区町村コード");
});

test("header names are normalised: U+2015 in 「コ―ド」 becomes ー, full-width and spaces fold", () => {
  const table = parseCsvText("都道府県コ―ド又は市区町村コ―ド, ＮＯ ,所在地_連結標記,連絡先備考（その他、SNSなど）\n1,2,3,4\n");
  expect(table.header).toEqual(["都道府県コード又は市区町村コード", "NO", "所在地_連結表記", "連絡先備考(その他、SNSなど)"]);
});

test("a quoted cell with a line break stays one cell and counts as one row", () => {
  const table = readCsv(utf8(facilityListText));
  const center = table.records[0];
  expect(center.values["説明"]).toBe("誰でも利用できる交流の場です。\n無料で利用できます。");
  // The next record starts on file line 4 but is spreadsheet row 3.
  expect(table.records[1]).toMatchObject({ row: 3, line: 4 });
});

test("CRLF and LF mixed in one file (the Tokyo file) both end records", () => {
  const table = parseCsvText('a,b\r\n1,2\n3,"x\r\ny"\r\n5,6\n');
  expect(table.records.map((record) => record.values)).toEqual([
    { a: "1", b: "2" },
    { a: "3", b: "x\ny" },
    { a: "5", b: "6" },
  ]);
  expect(table.problems).toEqual([]);
});

test("full-width digits, colons and spaces in values become ASCII (NFKC)", () => {
  const table = readCsv(utf8(facilityListText));
  expect(table.records[0].values["NO"]).toBe("9001");
  expect(table.records[0].values["利用可能日時特記事項"]).toBe("【開館時間】9:00~21:30 【休館日】月曜日");
  expect(table.records[1].values["開始時間"]).toBe("10:00");
});

test("malformed rows are reported with their row numbers, the others are read", () => {
  const table = readCsv(readFileSync(fixture("malformed.csv")));

  expect(table.records.map((record) => [record.row, record.values["NO"]])).toEqual([
    [2, "8001"],
    [5, "8004"],
  ]);
  expect(table.problems).toEqual([
    expect.objectContaining({ row: 3, line: 3, reason: expect.stringContaining("列の数が見出しと合わない") }),
    expect.objectContaining({ row: 4, line: 4, reason: expect.stringContaining("引用符") }),
  ]);
});

test("an unclosed quote is reported, not thrown", () => {
  const table = parseCsvText('a,b\n1,2\n3,"never closed\n5,6\n');
  expect(table.records).toHaveLength(1);
  expect(table.problems).toEqual([expect.objectContaining({ row: 3, line: 3, reason: expect.stringContaining("閉じられていない") })]);
});

test("an empty file gives a problem instead of an exception", () => {
  expect(readCsv(new Uint8Array()).problems).toEqual([expect.objectContaining({ row: 1, reason: expect.stringContaining("見出し") })]);
});

test("strict UTF-8 detection falls back to CP932 for Shift_JIS bytes", () => {
  const { text, encoding } = decodeCsvBytes(cp932("名称\r\n就労継続支援B型事業所　いっぽ\r\n"));
  expect(encoding).toBe("cp932");
  expect(text).toContain("就労継続支援B型事業所　いっぽ");
});
