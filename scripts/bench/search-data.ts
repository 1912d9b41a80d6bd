// Synthetic venues for `npm run bench:search`: realistic directory entries spread over 静岡県
// (names built from town names, nicknames and kind words, with readings; activities, descriptions,
// addresses, schedules), generated deterministically from a seed, so every run indexes the same
// documents. Also the fixed mixed query set the benchmark runs.
import type { SearchDocument, SearchQuery } from "../../search/types";

/** mulberry32: small, fast, deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const chance = (rng: Rng, p: number) => rng() < p;
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

// [name, reading, lat, lon, weight ~ population]
export const CITIES: readonly (readonly [string, string, number, number, number])[] = [
  ["静岡市葵区", "シズオカシアオイク", 34.975, 138.383, 25],
  ["静岡市駿河区", "シズオカシスルガク", 34.955, 138.41, 21],
  ["静岡市清水区", "シズオカシシミズク", 35.016, 138.489, 23],
  ["浜松市中央区", "ハママツシチュウオウク", 34.71, 137.726, 55],
  ["浜松市浜名区", "ハママツシハマナク", 34.8, 137.79, 14],
  ["浜松市天竜区", "ハママツシテンリュウク", 34.87, 137.82, 3],
  ["沼津市", "ヌマヅシ", 35.096, 138.864, 19],
  ["三島市", "ミシマシ", 35.118, 138.919, 11],
  ["富士宮市", "フジノミヤシ", 35.222, 138.621, 13],
  ["伊東市", "イトウシ", 34.966, 139.102, 7],
  ["島田市", "シマダシ", 34.836, 138.176, 10],
  ["富士市", "フジシ", 35.161, 138.676, 25],
  ["磐田市", "イワタシ", 34.718, 137.851, 17],
  ["焼津市", "ヤイヅシ", 34.867, 138.324, 14],
  ["掛川市", "カケガワシ", 34.769, 137.998, 12],
  ["藤枝市", "フジエダシ", 34.867, 138.258, 14],
  ["御殿場市", "ゴテンバシ", 35.309, 138.935, 9],
  ["袋井市", "フクロイシ", 34.75, 137.925, 9],
  ["裾野市", "スソノシ", 35.174, 138.907, 5],
  ["湖西市", "コサイシ", 34.719, 137.532, 6],
  ["伊豆の国市", "イズノクニシ", 35.028, 138.929, 5],
  ["菊川市", "キクガワシ", 34.757, 138.084, 5],
  ["牧之原市", "マキノハラシ", 34.74, 138.225, 4],
  ["熱海市", "アタミシ", 35.096, 139.072, 3],
  ["下田市", "シモダシ", 34.68, 138.945, 2],
];

const TOWNS: readonly (readonly [string, string])[] = [
  ["本町", "ホンマチ"], ["栄町", "サカエマチ"], ["中央", "チュウオウ"], ["駅前", "エキマエ"], ["東町", "ヒガシマチ"],
  ["西町", "ニシマチ"], ["南町", "ミナミマチ"], ["北町", "キタマチ"], ["新町", "シンマチ"], ["旭町", "アサヒマチ"],
  ["若葉台", "ワカバダイ"], ["緑町", "ミドリチョウ"], ["桜ヶ丘", "サクラガオカ"], ["青葉", "アオバ"], ["大井川", "オオイガワ"],
  ["小川", "コガワ"], ["和田", "ワダ"], ["豊田", "トヨダ"], ["大富", "オオトミ"], ["大村", "オオムラ"],
  ["浜当目", "ハマトウメ"], ["田尻", "タジリ"], ["宗高", "ムネタカ"], ["城北", "ジョウホク"], ["駿府", "スンプ"],
  ["清水", "シミズ"], ["蒲原", "カンバラ"], ["由比", "ユイ"], ["舞阪", "マイサカ"], ["天竜", "テンリュウ"],
  ["細江", "ホソエ"], ["三ヶ日", "ミッカビ"], ["吉原", "ヨシワラ"], ["鷹岡", "タカオカ"], ["原", "ハラ"],
  ["大岡", "オオオカ"], ["金谷", "カナヤ"], ["川根", "カワネ"], ["相良", "サガラ"], ["榛原", "ハイバラ"],
  ["岡部", "オカベ"], ["瀬戸谷", "セトヤ"], ["大東", "ダイトウ"], ["大須賀", "オオスカ"], ["小笠", "オガサ"],
  ["豊岡", "トヨオカ"], ["浅羽", "アサバ"], ["竜洋", "リュウヨウ"], ["福田", "フクデ"], ["長泉", "ナガイズミ"],
  ["函南", "カンナミ"], ["韮山", "ニラヤマ"], ["大仁", "オオヒト"], ["宇佐美", "ウサミ"], ["網代", "アジロ"],
  ["白浜", "シラハマ"], ["東益津", "ヒガシマシヅ"], ["港", "ミナト"], ["中港", "ナカミナト"], ["石津", "イシヅ"],
];

const NICKNAMES: readonly string[] = [
  "ひまわり", "さくら", "わかば", "あおぞら", "たんぽぽ", "すみれ", "こすもす", "ひだまり", "なかよし", "にこにこ",
  "すまいる", "ぽかぽか", "ほっと", "いこい", "ふれあい", "きずな", "えがお", "はなみずき", "つばさ", "みらい",
  "のぞみ", "かがやき", "ゆうゆう", "あゆみ", "ゆめ", "はばたき", "ぬくもり", "おひさま", "どんぐり", "もみじ",
  "あじさい", "つくし", "やまびこ", "せせらぎ", "スマイル", "ハーモニー", "オリーブ", "クローバー", "ポプラ", "メロディ",
  "レインボー", "サンシャイン", "ぴよぴよ", "ことり", "みどり", "いちょう", "かえで", "うみかぜ", "しおさい", "ふじみ",
];

const toKatakana = (text: string) => text.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));

interface KindSpec {
  code: string;
  label: string;
  weight: number;
  /** [name, reading] from a town and a nickname. */
  name: (rng: Rng, town: readonly [string, string], nick: string, city: readonly [string, string]) => [string, string];
  services: readonly string[];
  activities: readonly string[];
  targets: readonly string[];
  sentences: readonly string[];
}

const both = (words: readonly (readonly [string, string])[], rng: Rng) => pick(rng, words);

const KINDS: readonly KindSpec[] = [
  {
    code: "salon", label: "サロン・通いの場", weight: 22,
    name: (rng, town, nick) => {
      const [word, reading] = both([["いきいきサロン", "イキイキサロン"], ["ふれあいサロン", "フレアイサロン"], ["サロン", "サロン"], ["ふれあい・いきいきサロン", "フレアイイキイキサロン"], ["通いの場", "カヨイノバ"], ["茶話会", "サワカイ"]], rng);
      return chance(rng, 0.6) ? [`${town[0]}${word}`, `${town[1]}${reading}`] : [`${word} ${nick}`, `${reading} ${toKatakana(nick)}`];
    },
    services: [], activities: ["お茶会", "体操", "手芸", "囲碁・将棋", "カラオケ", "脳トレ", "折り紙", "健康講話", "おしゃべり"],
    targets: ["elderly"], sentences: ["地域の高齢者がお茶を飲みながらおしゃべりを楽しみます。", "月に2回、公民館で開いています。", "どなたでもお気軽にご参加ください。", "季節の行事や健康講話もあります。"],
  },
  {
    code: "kaigo_yobo", label: "介護予防・体操教室", weight: 8,
    name: (rng, town) => {
      const [word, reading] = both([["健康体操教室", "ケンコウタイソウキョウシツ"], ["元気体操クラブ", "ゲンキタイソウクラブ"], ["いきいき百歳体操", "イキイキヒャクサイタイソウ"], ["筋力アップ教室", "キンリョクアップキョウシツ"], ["介護予防教室", "カイゴヨボウキョウシツ"]], rng);
      return [`${town[0]}${word}`, `${town[1]}${reading}`];
    },
    services: [], activities: ["体操", "筋トレ", "ストレッチ", "口腔体操", "脳トレ", "ウォーキング"],
    targets: ["elderly"], sentences: ["椅子に座ってできる体操です。", "理学療法士が指導します。", "動きやすい服装でお越しください。", "介護予防のための運動を続けましょう。"],
  },
  {
    code: "kodomo_shokudo", label: "子ども食堂", weight: 15,
    name: (rng, town, nick) => {
      const [word, reading] = both([["子ども食堂", "コドモショクドウ"], ["こども食堂", "コドモショクドウ"], ["子供食堂", "コドモショクドウ"], ["食堂", "ショクドウ"], ["キッチン", "キッチン"], ["みんなの食堂", "ミンナノショクドウ"]], rng);
      return chance(rng, 0.5) ? [`${nick}${word}`, `${toKatakana(nick)}${reading}`] : [`${town[0]}${word}`, `${town[1]}${reading}`];
    },
    services: ["子ども食堂"], activities: ["食事提供", "学習支援", "フードパントリー", "テイクアウト", "遊び", "お弁当配布"],
    targets: ["youth", "parents", "anyone"], sentences: ["子どもから大人まで、みんなで一緒にごはんを食べましょう。", "子どもは無料、大人は300円です。", "食材の寄付を受け付けています。", "地域の居場所として開いています。"],
  },
  {
    code: "kosodate_shien", label: "子育て支援センター・つどいの広場", weight: 5,
    name: (rng, town, nick) =>
      pick(rng, [
        [`子育て支援センター ${nick}`, `コソダテシエンセンター ${toKatakana(nick)}`],
        [`${town[0]}子育て支援センター`, `${town[1]}コソダテシエンセンター`],
        [`つどいの広場 ${nick}`, `ツドイノヒロバ ${toKatakana(nick)}`],
      ] as [string, string][]),
    services: [], activities: ["親子遊び", "育児相談", "絵本の読み聞かせ", "身体測定", "子育て講座"],
    targets: ["parents"], sentences: ["0歳から3歳の子どもと保護者が自由に遊べる広場です。", "子育ての相談もお気軽にどうぞ。", "無料で利用できます。"],
  },
  {
    code: "ibasho", label: "居場所・フリースペース", weight: 4,
    name: (rng, _town, nick) => {
      const [word, reading] = both([["フリースペース", "フリースペース"], ["居場所", "イバショ"], ["コミュニティカフェ", "コミュニティカフェ"], ["みんなの居場所", "ミンナノイバショ"]], rng);
      return [`${word} ${nick}`, `${reading} ${toKatakana(nick)}`];
    },
    services: [], activities: ["フリースペース", "学習支援", "相談", "ボードゲーム"],
    targets: ["youth", "anyone"], sentences: ["ひきこもりや不登校の方も安心して過ごせる居場所です。", "予約はいりません。", "静かに過ごせる部屋もあります。"],
  },
  {
    code: "jido_center", label: "児童館・児童センター", weight: 2,
    name: (rng, town) => pick(rng, [[`${town[0]}児童館`, `${town[1]}ジドウカン`], [`${town[0]}児童センター`, `${town[1]}ジドウセンター`]] as [string, string][]),
    services: [], activities: ["遊び", "工作", "卓球"], targets: ["youth", "parents"], sentences: ["18歳未満の子どもが自由に遊べます。", "乳幼児親子向けの講座もあります。"],
  },
  {
    code: "chiiki_katsudo", label: "地域活動支援センター", weight: 1,
    name: (_rng, _town, nick) => [`地域活動支援センター ${nick}`, `チイキカツドウシエンセンター ${toKatakana(nick)}`],
    services: ["地域活動支援センター"], activities: ["創作活動", "相談"], targets: ["disability"], sentences: ["障がいのある方の日中の活動の場です。", "創作活動や交流を行っています。"],
  },
  {
    code: "shuro_b", label: "就労継続支援B型", weight: 4,
    name: (rng, _town, nick) => {
      const [word, reading] = both([["ワークセンター", "ワークセンター"], ["作業所", "サギョウショ"], ["工房", "コウボウ"], ["ワークショップ", "ワークショップ"]], rng);
      return chance(rng, 0.5) ? [`${word}${nick}`, `${reading}${toKatakana(nick)}`] : [`${nick}${word}`, `${toKatakana(nick)}${reading}`];
    },
    services: ["就労継続支援B型"], activities: ["軽作業", "パン製造", "農作業", "清掃", "袋詰め"],
    targets: ["disability"], sentences: ["パンの製造と販売、軽作業をしています。", "見学・体験を受け付けています。", "送迎があります。"],
  },
  {
    code: "shuro_a", label: "就労継続支援A型", weight: 1,
    name: (rng, _town, nick) => {
      const [word, reading] = both([["ワークス", "ワークス"], ["ファクトリー", "ファクトリー"]], rng);
      return [`${nick}${word}`, `${toKatakana(nick)}${reading}`];
    },
    services: ["就労継続支援A型"], activities: ["印刷", "封入作業", "データ入力"], targets: ["disability"], sentences: ["雇用契約を結んで働きます。"],
  },
  {
    code: "kominkan", label: "公民館・地域交流センター", weight: 3,
    name: (rng, town) => pick(rng, [[`${town[0]}公民館`, `${town[1]}コウミンカン`], [`${town[0]}地域交流センター`, `${town[1]}チイキコウリュウセンター`]] as [string, string][]),
    services: [], activities: ["講座", "サークル活動", "貸館"], targets: ["anyone"], sentences: ["地域の学習と交流の拠点です。", "会議室を貸し出しています。"],
  },
  {
    code: "welfare_center", label: "福祉センター・福祉会館", weight: 1,
    name: (_rng, town) => [`${town[0]}福祉センター`, `${town[1]}フクシセンター`],
    services: [], activities: ["入浴", "講座"], targets: ["elderly", "anyone"], sentences: ["高齢者の健康増進と交流の場です。"],
  },
  {
    code: "library", label: "図書館", weight: 1,
    name: (_rng, town) => [`${town[0]}図書館`, `${town[1]}トショカン`],
    services: [], activities: ["読み聞かせ", "貸出"], targets: ["anyone"], sentences: ["本の貸し出しと読み聞かせ会をしています。"],
  },
  {
    code: "day_service", label: "デイサービス（通所介護）", weight: 12,
    name: (rng, town, nick) =>
      pick(rng, [
        [`デイサービス${nick}`, `デイサービス${toKatakana(nick)}`],
        [`デイサービスセンター${town[0]}`, `デイサービスセンター${town[1]}`],
        [`${nick}デイサービス`, `${toKatakana(nick)}デイサービス`],
      ] as [string, string][]),
    services: ["通所介護"], activities: ["入浴", "機能訓練", "レクリエーション"], targets: ["elderly"], sentences: ["送迎つきの日帰り介護サービスです。", "要介護認定を受けた方が利用できます。"],
  },
  {
    code: "care_service", label: "介護サービス事業所", weight: 8,
    name: (rng, town) => {
      const [word, reading] = both([["訪問介護ステーション", "ホウモンカイゴステーション"], ["居宅介護支援事業所", "キョタクカイゴシエンジギョウショ"], ["ケアプランセンター", "ケアプランセンター"]], rng);
      return [`${town[0]}${word}`, `${town[1]}${reading}`];
    },
    services: ["訪問介護", "居宅介護支援"], activities: [], targets: ["elderly"], sentences: ["ケアマネジャーが相談に応じます。"],
  },
  {
    code: "after_school", label: "放課後児童クラブ・放課後等デイサービス", weight: 6,
    name: (rng, town, nick) => pick(rng, [[`${town[0]}放課後児童クラブ`, `${town[1]}ホウカゴジドウクラブ`], [`放課後等デイサービス ${nick}`, `ホウカゴトウデイサービス ${toKatakana(nick)}`]] as [string, string][]),
    services: ["放課後児童クラブ"], activities: ["宿題", "遊び"], targets: ["youth", "parents"], sentences: ["小学生が放課後を過ごす場所です。"],
  },
  {
    code: "consultation", label: "相談窓口", weight: 2,
    name: (rng, town, _nick, city) => pick(rng, [[`${town[0]}地域包括支援センター`, `${town[1]}チイキホウカツシエンセンター`], [`${city[0]}障害者相談支援センター`, `${city[1]}ショウガイシャソウダンシエンセンター`]] as [string, string][]),
    services: ["相談支援"], activities: ["相談"], targets: ["elderly", "disability", "hardship"], sentences: ["介護や福祉の困りごとの相談窓口です。", "電話での相談もできます。"],
  },
  {
    code: "volunteer", label: "ボランティア活動", weight: 1,
    name: (_rng, _town, _nick, city) => [`${city[0]}ボランティアセンター`, `${city[1]}ボランティアセンター`],
    services: [], activities: ["ボランティア募集"], targets: ["anyone"], sentences: ["ボランティアをしたい方と求める方をつなぎます。"],
  },
  {
    code: "disability_day", label: "障がい福祉の日中活動（生活介護など）", weight: 2,
    name: (_rng, _town, nick) => [`生活介護 ${nick}`, `セイカツカイゴ ${toKatakana(nick)}`],
    services: ["生活介護"], activities: ["創作活動", "散歩"], targets: ["disability"], sentences: ["日中の活動と入浴を支援します。"],
  },
  {
    code: "other", label: "その他", weight: 1,
    name: (_rng, town) => [`フードバンク${town[0]}`, `フードバンク${town[1]}`],
    services: [], activities: ["フードパントリー"], targets: ["hardship"], sentences: ["食品の寄付を受け付けています。"],
  },
];

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const WEEKDAY_WORDS: Record<string, string> = { MO: "月曜日", TU: "火曜日", WE: "水曜日", TH: "木曜日", FR: "金曜日", SA: "土曜日", SU: "日曜日" };
const CONDITIONS = ["kengaku", "taiken", "doko", "techo_fuyo", "tanjikan", "shoninzu", "shizuka", "sougei", "barrier_free", "reservation", "free"];

/** `count` venues, the same for the same seed. */
export function generateVenues(count: number, seed = 20260401): SearchDocument[] {
  const rng = random(seed);
  const kindTable = KINDS.map((k) => [k, k.weight] as const);
  const cityTable = CITIES.map((c) => [c, c[4]] as const);
  const documents: SearchDocument[] = [];
  for (let i = 0; i < count; i++) {
    const kind = weighted(rng, kindTable);
    const city = weighted(rng, cityTable);
    const town = pick(rng, TOWNS);
    const nick = pick(rng, NICKNAMES);
    const [name, reading] = kind.name(rng, town, nick, [city[0], city[1]]);
    const days = WEEKDAYS.filter(() => chance(rng, 0.25));
    const hour = pick(rng, [9, 10, 10, 13, 14, 16, 17, 18]);
    const length = pick(rng, [1, 2, 2, 3]);
    const timeBands = [hour < 12 ? "morning" : hour < 17 ? "afternoon" : "evening"];
    if (hour + length > 17 && hour < 17) timeBands.push("evening");
    const monthly = chance(rng, 0.4);
    const activities = kind.activities.filter(() => chance(rng, 0.4));
    const sentences = [
      `${town[0]}で${days.length > 0 ? days.map((d) => WEEKDAY_WORDS[d]).join("と") + "に" : ""}${pick(rng, ["開いています。", "活動しています。", "集まっています。"])}`,
      ...kind.sentences.filter(() => chance(rng, 0.5)),
      ...(activities.length > 0 ? [`${activities.join("、")}などをしています。`] : []),
    ];
    const located = chance(rng, 0.97);
    documents.push({
      id: `v${i}`,
      name,
      // About a quarter of real rows come without 名称_カナ.
      reading: chance(rng, 0.75) ? reading : "",
      kind: kind.code,
      kindLabel: kind.label,
      services: [...kind.services],
      activities,
      description: sentences.join(""),
      targetGroups: kind.targets.filter((_, k) => k === 0 || chance(rng, 0.5)),
      conditions: CONDITIONS.filter(() => chance(rng, 0.15)),
      area: city[0],
      address: `静岡県${city[0]}${town[0]}${1 + Math.floor(rng() * 5)}丁目${1 + Math.floor(rng() * 30)}-${1 + Math.floor(rng() * 20)}`,
      weekdays: days,
      timeBands: days.length > 0 ? timeBands : [],
      costBand: pick(rng, ["free", "free", "under500", "paid", "unknown"]),
      status: chance(rng, 0.95) ? "active" : pick(rng, ["paused", "closed"]),
      location: located ? { lat: city[2] + gaussian(rng) * 0.03, lon: city[3] + gaussian(rng) * 0.035 } : null,
      schedules:
        days.length > 0
          ? [
              {
                rrule: monthly ? `FREQ=MONTHLY;BYDAY=${days.map((d) => `2${d}`).join(",")}` : `FREQ=WEEKLY;BYDAY=${days.join(",")}`,
                startsOn: "2026-04-01",
                startTime: `${String(hour).padStart(2, "0")}:00`,
                endTime: `${String(hour + length).padStart(2, "0")}:00`,
                exceptionDates: [],
              },
            ]
          : [],
      hoursNote: null,
      updatedAt: Date.UTC(2025, 0, 1) + Math.floor(rng() * 500) * 86_400_000,
    });
  }
  return documents;
}

export type QueryType = "text" | "text+facet" | "geo radius+kind" | "bbox" | "reading" | "typo";

const FACETS = ["kind", "area", "weekdays", "timeBands", "costBand"] as const;
const cityCenter = (name: string) => {
  const city = CITIES.find((c) => c[0] === name)!;
  return { lat: city[2], lon: city[3] };
};
const box = (name: string, halfLat: number, halfLon: number) => {
  const { lat, lon } = cityCenter(name);
  return { south: lat - halfLat, north: lat + halfLat, west: lon - halfLon, east: lon + halfLon };
};

/** The fixed mixed query set, by type. */
export const BENCH_QUERIES: readonly { type: QueryType; query: SearchQuery }[] = [
  ...["サロン", "子ども食堂", "体操", "ひまわり", "本町 サロン", "デイサービス", "子育て支援センター", "フードパントリー", "放課後児童クラブ", "地域包括支援センター", "B型", "居場所", "焼津 公民館"].map(
    (text) => ({ type: "text" as const, query: { text } }),
  ),
  { type: "text+facet", query: { text: "サロン", filters: { area: ["焼津市"] }, facets: [...FACETS] } },
  { type: "text+facet", query: { text: "体操", filters: { weekdays: ["TU"], timeBands: ["morning"] }, facets: [...FACETS] } },
  { type: "text+facet", query: { text: "子ども食堂", filters: { costBand: ["free"] }, facets: [...FACETS] } },
  { type: "text+facet", query: { text: "センター", facets: ["kind", "area"] } },
  { type: "text+facet", query: { text: "さくら", filters: { kind: ["kodomo_shokudo", "salon"] }, facets: [...FACETS] } },
  { type: "text+facet", query: { text: "相談", filters: { targetGroups: ["elderly"] }, facets: ["kind", "area"] } },
  ...(
    [
      ["焼津市", 3000, "salon"],
      ["浜松市中央区", 2000, "kodomo_shokudo"],
      ["静岡市葵区", 5000, "day_service"],
      ["沼津市", 1500, "kaigo_yobo"],
      ["富士市", 10000, "shuro_b"],
    ] as const
  ).map(([city, radiusMeters, kind]) => ({
    type: "geo radius+kind" as const,
    query: { radius: { center: cityCenter(city), radiusMeters }, origin: cityCenter(city), filters: { kind: [kind] }, sort: "distance" as const, facets: ["kind" as const] },
  })),
  { type: "bbox", query: { boundingBox: box("焼津市", 0.03, 0.04), facets: ["kind"], limit: 50 } },
  { type: "bbox", query: { boundingBox: box("浜松市中央区", 0.06, 0.08), facets: ["kind", "area"], limit: 50 } },
  { type: "bbox", query: { boundingBox: box("静岡市葵区", 0.2, 0.25), facets: ["kind"], limit: 50 } },
  { type: "bbox", query: { boundingBox: box("三島市", 0.02, 0.03), text: "サロン", limit: 50 } },
  ...["さろん", "こそだて", "こどもしょくどう", "ほんまち", "たいそう", "ひまわり", "こそだ", "でいさーびす", "ちいきかつどう"].map((text) => ({ type: "reading" as const, query: { text } })),
  ...["デイサービズ", "フリースペーズ", "こどもしょくとう", "いきいきさろむ"].map((text) => ({ type: "typo" as const, query: { text } })),
];
