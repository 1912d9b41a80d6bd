// Seeded synthetic places and people for the matching engine: the benchmark (scripts/bench/matching.ts)
// and the ranking-equivalence test score the same data on every run.
import type { Needs } from "../../app/matching/needs";
import type { Candidate } from "../../app/matching/types";
import { INTEREST_CODES, WANT_CODES, type Transport } from "../../app/matching/vocabulary";
import { random } from "../../scripts/bench/search-data";

/** 焼津市 and its neighbours. */
export const CENTRE = { lat: 34.867, lon: 138.323 };

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const chance = (rng: Rng, p: number) => rng() < p;
const gaussian = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let r = rng() * items.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

// [kind, weight, target groups, activities]
const KINDS = [
  ["salon", 20, ["elderly"], ["体操", "お茶会", "おしゃべり", "歌", "脳トレ", "手芸"]],
  ["kaigo_yobo", 10, ["elderly"], ["健脚体操", "ストレッチ", "筋力アップ体操"]],
  ["ibasho", 6, ["anyone"], ["おしゃべり", "ボードゲーム", "読書", "パソコン", "料理"]],
  ["kodomo_shokudo", 8, ["youth", "parents", "anyone"], ["会食", "学習支援", "調理ボランティア"]],
  ["kosodate_shien", 6, ["parents"], ["親子あそび", "育児相談", "絵本"]],
  ["jido_center", 2, ["youth", "parents"], ["遊び", "工作"]],
  ["chiiki_katsudo", 3, ["disability"], ["創作活動", "手芸", "軽作業", "料理"]],
  ["shuro_b", 5, ["disability"], ["袋詰め", "清掃", "農作業", "部品の組立", "パン作り"]],
  ["shuro_a", 2, ["disability"], ["清掃", "製造"]],
  ["shuro_ikou", 2, ["disability"], ["パソコン訓練", "ビジネスマナー"]],
  ["work_experience", 3, ["anyone"], ["箱詰め", "品出し", "清掃", "職場体験"]],
  ["volunteer", 4, ["anyone"], ["清掃", "花壇の手入れ", "見守り", "配食", "ボランティア"]],
  ["kominkan", 5, ["anyone"], ["講座", "パソコン", "書道", "囲碁"]],
  ["library", 1, ["anyone"], ["読書", "朗読"]],
  ["day_service", 10, ["elderly"], ["入浴", "機能訓練"]],
  ["care_service", 6, ["elderly"], []],
  ["consultation", 2, ["anyone"], ["相談"]],
] as const;
const CONDITIONS = ["kengaku", "taiken", "doko", "techo_fuyo", "tanjikan", "shoninzu", "shizuka", "sougei", "barrier_free", "free"];
const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/** `count` places around CENTRE (σ ≈ 5 km), the same for the same seed. */
export function syntheticCandidates(count: number, seed = 20261201): Candidate[] {
  const rng = random(seed);
  const kinds = KINDS.map((k) => [k, k[1]] as const);
  const candidates: Candidate[] = [];
  for (let i = 0; i < count; i++) {
    const [kind, , targets, activities] = weighted(rng, kinds);
    const days = DAYS.filter(() => chance(rng, kind === "shuro_b" || kind === "chiiki_katsudo" ? 0.7 : 0.2));
    const hour = pick(rng, [9, 10, 10, 13, 14, 16, 17]);
    const length = pick(rng, [1, 2, 2, 3, 6]);
    const style = rng();
    const rrule =
      style < 0.55 ? `FREQ=WEEKLY;BYDAY=${days.join(",")}` : style < 0.9 ? `FREQ=MONTHLY;BYDAY=${days.map((d) => `${1 + Math.floor(rng() * 4)}${d}`).join(",")}` : "FREQ=DAILY";
    const cost = pick(rng, ["free", "free", "amount", "amount", "actual", "unknown"]);
    candidates.push({
      id: i + 1,
      name: `場所${i + 1}`,
      kind,
      services: [],
      description: chance(rng, 0.5) ? `${pick(rng, activities.length ? activities : ["交流"])}をしています。初めての方も歓迎します。` : null,
      activities: activities.filter(() => chance(rng, 0.5)),
      targetGroups: targets.filter((_, k) => k === 0 || chance(rng, 0.5)),
      conditions: CONDITIONS.filter(() => chance(rng, 0.2)),
      costKind: cost,
      costYen: cost === "amount" ? pick(rng, [100, 200, 300, 500, 1000]) : cost === "free" ? 0 : null,
      capacity: chance(rng, 0.6) ? pick(rng, [5, 8, 10, 15, 20, 30, 50]) : null,
      area: "焼津市",
      city: "焼津市",
      latitude: chance(rng, 0.97) ? CENTRE.lat + gaussian(rng) * 0.045 : null,
      longitude: CENTRE.lon + gaussian(rng) * 0.055,
      status: chance(rng, 0.95) ? "active" : pick(rng, ["paused", "closed"]),
      lastVerifiedOn: `${pick(rng, [2024, 2025, 2026, 2026])}-${String(1 + Math.floor(rng() * 10)).padStart(2, "0")}-15`,
      schedules:
        days.length > 0 || rrule === "FREQ=DAILY"
          ? [{ rrule, startsOn: "2025-04-01", startTime: `${String(hour).padStart(2, "0")}:00`, endTime: `${String(hour + length).padStart(2, "0")}:00`, exceptionDates: [] }]
          : [],
      hoursNote: days.length === 0 && chance(rng, 0.5) ? "不定期（お問い合わせください）" : null,
      sample: false,
    });
  }
  return candidates;
}

/** `count` people living around CENTRE with a realistic spread of needs. */
export function syntheticNeeds(count: number, seed = 7): Needs[] {
  const rng = random(seed);
  const people: Needs[] = [];
  for (let i = 0; i < count; i++) {
    const availability = DAYS.filter(() => chance(rng, 0.4)).map((weekday) => {
      const from = pick(rng, [9, 10, 13, 15]);
      return { weekday, from: `${String(from).padStart(2, "0")}:00`, to: `${String(from + pick(rng, [2, 3, 5])).padStart(2, "0")}:00` };
    });
    const transport = pick<Transport[]>(rng, [["walk"], ["walk", "bus"], ["bicycle"], ["pickup"], []]);
    people.push({
      location: chance(rng, 0.9) ? { lat: CENTRE.lat + gaussian(rng) * 0.03, lon: CENTRE.lon + gaussian(rng) * 0.04 } : undefined,
      area: "焼津市",
      maxDistanceKm: chance(rng, 0.4) ? pick(rng, [1, 2, 3, 5, 10]) : undefined,
      maxMinutes: chance(rng, 0.2) ? pick(rng, [15, 30, 45]) : undefined,
      transport: transport.length > 0 ? transport : undefined,
      targetGroups: [pick(rng, ["elderly", "disability", "parents", "youth", "hardship", "anyone"] as const)],
      interests: INTEREST_CODES.filter(() => chance(rng, 0.15)),
      wants: WANT_CODES.filter(() => chance(rng, 0.2)),
      availability: chance(rng, 0.7) ? availability : [],
      conditions: {
        smallGroup: chance(rng, 0.3),
        quiet: chance(rng, 0.3),
        avoidCrowds: chance(rng, 0.2),
        needsAccompaniment: chance(rng, 0.3),
        firstTimeFriendly: chance(rng, 0.4),
        shortTime: chance(rng, 0.3),
        noCertificate: chance(rng, 0.2),
      },
      maxCostYen: chance(rng, 0.3) ? pick(rng, [0, 300, 500]) : undefined,
    });
  }
  return people;
}
