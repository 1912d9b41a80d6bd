// Application-level field encryption: AES-256-GCM, key id stored with the value, rotation, and a
// wrong key failing loudly.
import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import { DataKeyError, decryptField, encryptField, keyIdOf, parseDataKeys } from "../app/utils/field-crypto.server";

const key = (id: string) => `${id}:${crypto.randomBytes(32).toString("base64")}`;

describe("field encryption", () => {
  test("round trip with Japanese text; every encryption differs (random IV); null stays null", () => {
    const keys = parseDataKeys(key("k1"));
    const a = encryptField("通院中。人混みで強い不安。", keys)!;
    const b = encryptField("通院中。人混みで強い不安。", keys)!;
    expect(a).not.toBe(b);
    expect(a).not.toContain("通院");
    expect(a.startsWith("enc:v1:k1:")).toBe(true);
    expect(decryptField(a, keys)).toBe("通院中。人混みで強い不安。");
    expect(encryptField(null, keys)).toBeNull();
    expect(decryptField(null, keys)).toBeNull();
    expect(keyIdOf(a)).toBe("k1");
  });

  test("after rotation old values still decrypt and new ones use the new key", () => {
    const old = parseDataKeys(key("k1"));
    const sealed = encryptField("メモ", old)!;
    const rotated = parseDataKeys(`${key("k2")},k1:${old[0]!.key.toString("base64")}`);
    expect(decryptField(sealed, rotated)).toBe("メモ");
    expect(keyIdOf(encryptField("メモ", rotated))).toBe("k2");
  });

  test("a wrong key or a missing key id fails loudly", () => {
    const sealed = encryptField("メモ", parseDataKeys(key("k1")))!;
    expect(() => decryptField(sealed, parseDataKeys(key("k1")))).toThrow(DataKeyError);
    expect(() => decryptField(sealed, parseDataKeys(key("k9")))).toThrow(/k1/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("AA") ? "BB" : "AA");
    expect(() => decryptField(tampered, parseDataKeys(key("k1")))).toThrow(DataKeyError);
  });

  test("plaintext written before encryption passes through (the rotation script encrypts it)", () => {
    expect(decryptField("古いメモ", parseDataKeys(key("k1")))).toBe("古いメモ");
    expect(keyIdOf("古いメモ")).toBeNull();
  });

  test.each([
    ["", /空/],
    ["k1", /鍵ID/],
    ["k1:", /32バイト/],
    [`k1:${crypto.randomBytes(16).toString("base64")}`, /32バイト/],
    [`:${crypto.randomBytes(32).toString("base64")}`, /鍵ID/],
    [`${key("k1")},${key("k1")}`, /重複/],
  ])("bad DATA_ENCRYPTION_KEYS %# → a clear message", (text, message) => {
    expect(() => parseDataKeys(text)).toThrow(message);
  });
});
