// The Japanese normaliser shared by documents and queries: if these fold differently, searches miss.
import { expect, test } from "vitest";
import {
  characterBigrams,
  highlightTerms,
  katakanaToHiragana,
  MAX_QUERY_TERMS,
  MAX_TERM_LENGTH,
  normalizeText,
  normalizeWithOffsets,
  queryTerms,
  termKeys,
} from "../../search/normalize";

test("full-width Latin and digits become half-width lower case: Ｂ型 → b型", () => {
  expect(normalizeText("Ｂ型")).toBe("b型");
  expect(normalizeText("ＮＰＯ法人　ＡＢＣ１２３")).toBe("npo法人 abc123");
  expect(normalizeText("B型")).toBe(normalizeText("ｂ型"));
});

test("half-width katakana become hiragana, voiced marks included: ﾗﾋﾞｯﾄ → らびっと", () => {
  expect(normalizeText("ﾗﾋﾞｯﾄ")).toBe("らびっと");
  expect(normalizeText("ｶﾞｰﾃﾞﾝ")).toBe("がーでん");
  expect(normalizeText("ﾊﾟﾝ工房")).toBe("ぱん工房");
});

test("katakana and hiragana fold to the same text; the long-vowel mark stays", () => {
  expect(normalizeText("コソダテシエンセンター")).toBe("こそだてしえんせんたー");
  expect(normalizeText("コソダテ")).toBe(normalizeText("こそだて"));
  expect(normalizeText("ヴィラ")).toBe("ゔぃら");
  expect(katakanaToHiragana("霞ヶ関")).toBe(katakanaToHiragana("霞ケ関"));
  // Kanji are untouched.
  expect(normalizeText("子育て支援")).toBe("子育て支援");
});

test("dash variants: a long-vowel mark after kana, a hyphen elsewhere", () => {
  expect(normalizeText("センタ−")).toBe("せんたー"); // minus sign, as old spreadsheets write it
  expect(normalizeText("センタ―")).toBe("せんたー"); // horizontal bar
  expect(normalizeText("ｾﾝﾀｰ")).toBe("せんたー");
  expect(normalizeText("本町２−１６−３２")).toBe("本町2-16-32");
  expect(normalizeText("本町2ー16ー32")).toBe("本町2-16-32");
  expect(normalizeText("10:00〜12:00")).toBe(normalizeText("10:00～12:00"));
});

test("whitespace, including the ideographic space U+3000, collapses to single spaces", () => {
  expect(normalizeText("  子育て\u3000\u3000サロン \t\n 北部  ")).toBe("子育て さろん 北部");
  expect(normalizeText("\u3000")).toBe("");
});

test("control and invisible characters are stripped", () => {
  expect(normalizeText("サロ\u0000ン\u0007")).toBe("さろん");
  expect(normalizeText("子育て\u200b支援\ufeff")).toBe("子育て支援");
  expect(normalizeText("\u001b[31mサロン")).toBe("[31mさろん");
  expect(normalizeText("\ud800サロン")).toBe("さろん"); // a lone surrogate
});

test("queryTerms splits on spaces and quote/bracket punctuation, drops empties and duplicates", () => {
  expect(queryTerms("ひきこもり　居場所")).toEqual(["ひきこもり", "居場所"]);
  expect(queryTerms("「子育て」 \"サロン\" B型 Ｂ型")).toEqual(["子育て", "さろん", "b型"]);
  expect(queryTerms("ふれあい・いきいき")).toEqual(["ふれあい", "いきいき"]);
  expect(queryTerms("   ")).toEqual([]);
  expect(queryTerms("")).toEqual([]);
});

test("queryTerms caps the number and length of terms", () => {
  const many = Array.from({ length: 20 }, (_, i) => `語${i}`).join(" ");
  expect(queryTerms(many)).toHaveLength(MAX_QUERY_TERMS);
  const [long] = queryTerms("あ".repeat(500));
  expect(long).toHaveLength(MAX_TERM_LENGTH);
  // A cut never splits an emoji's surrogate pair.
  const [emoji] = queryTerms("あ".repeat(MAX_TERM_LENGTH - 1) + "😀");
  expect(emoji).toBe("あ".repeat(MAX_TERM_LENGTH - 1));
});

test("index keys: bigrams for longer terms, the character itself for one-character terms", () => {
  expect(characterBigrams("子育て さろん")).toEqual(["子育", "育て", "さろ", "ろん"]);
  expect(characterBigrams("北")).toEqual(["北"]);
  expect(termKeys("北")).toEqual(["北".charCodeAt(0)]);
  expect(termKeys("子育て")).toHaveLength(2);
  expect(termKeys("ああああ")).toHaveLength(1); // repeated bigrams are looked up once
});

test("the offset-tracking normaliser agrees with normalizeText", () => {
  const samples = ["ﾗﾋﾞｯﾄ工房", "  子育て\u3000支援センター ", "センタ−２−１", "ＡＢＣ　ｶﾞｰﾃﾞﾝ", "か\u3099き", "😀サロン\u0000"];
  for (const sample of samples) expect(normalizeWithOffsets(sample).text).toBe(normalizeText(sample));
});

test("highlightTerms marks the original characters and escapes HTML", () => {
  expect(highlightTerms("ﾗﾋﾞｯﾄ工房", ["らびっと"])).toBe("<mark>ﾗﾋﾞｯﾄ</mark>工房");
  expect(highlightTerms("<b>サロン</b> & カフェ", ["さろん"])).toBe("&lt;b&gt;<mark>サロン</mark>&lt;/b&gt; &amp; カフェ");
  expect(highlightTerms("子育て支援センター", ["子育て", "支援"])).toBe("<mark>子育て支援</mark>センター");
  expect(highlightTerms("図書館", ["さろん"])).toBeNull();
});
