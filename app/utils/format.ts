// Small formatters for resident pages: distances, addresses, costs, dates and safe links.
// Pure and browser-safe.
import { COST_KINDS } from "../../db/vocabulary";

/** 「約800m」 below 1 km (to 100 m), 「約1.2km」 below 10 km, 「約23km」 beyond. */
export function formatDistance(meters: number | null | undefined): string | null {
  if (meters === null || meters === undefined || !Number.isFinite(meters) || meters < 0) return null;
  if (meters < 950) return `約${Math.max(100, Math.round(meters / 100) * 100)}m`;
  if (meters < 9950) return `約${(meters / 1000).toFixed(1)}km`;
  return `約${Math.round(meters / 1000)}km`;
}

/** "4250091" or "425-0091" → 「〒425-0091」. */
export function formatPostalCode(code: string | null | undefined): string | null {
  if (!code) return null;
  const digits = code.normalize("NFKC").replace(/[^\d]/g, "");
  if (digits.length !== 7) return `〒${code}`;
  return `〒${digits.slice(0, 3)}-${digits.slice(3)}`;
}

export function formatAddress(parts: {
  prefecture?: string | null;
  city?: string | null;
  addressLine?: string | null;
  building?: string | null;
}): string {
  const { prefecture, city, addressLine, building } = parts;
  let line = "";
  // Sources sometimes repeat the prefecture or city inside the street part.
  if (prefecture && !(city ?? "").startsWith(prefecture) && !(addressLine ?? "").startsWith(prefecture))
    line += prefecture;
  if (city && !(addressLine ?? "").startsWith(city)) line += city;
  if (addressLine) line += addressLine;
  return building ? `${line} ${building}` : line;
}

export function formatCost(cost: { costKind: string; costYen: number | null; costNote: string | null }): string {
  let text: string;
  if (cost.costKind === "free") text = "無料";
  else if (cost.costKind === "amount" && cost.costYen !== null) text = `${cost.costYen.toLocaleString("ja-JP")}円`;
  else if (cost.costKind === "actual") text = "実費";
  else if (cost.costKind === "amount") text = COST_KINDS.find((k) => k.code === "amount")?.label ?? "有料";
  else text = "";
  if (cost.costNote) return text ? `${text}（${cost.costNote}）` : cost.costNote;
  return text || "掲載なし（お問い合わせください）";
}

/** "2025-11-03" → 「2025年11月3日」. */
export function formatLongDate(isoDate: string | null | undefined): string | null {
  if (!isoDate) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return null;
  return `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日`;
}

/** Only http(s) links from open data become links (never javascript: or data: URLs). */
export function safeExternalUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** A tel: URI from a written number such as 「054-625-7320」 or 「０５４（６２５）７３２０」. */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.normalize("NFKC").replace(/[^\d+]/g, "");
  return digits.length >= 6 ? `tel:${digits}` : null;
}
