// The matching engine's documented tables: score weights, the ladder step of each kind, kinds that
// need a certification the person may lack, interest keywords and what each wanted participation
// fits. Kept apart from engine.ts so the README and the staff pages can quote them. Browser-safe.
import type { Interest, LadderStep, Want } from "./vocabulary";

/**
 * Soft score weights (sum 100). A component only counts when it applies: interests when the person
 * named some, environment when the person asked for something (少人数, 静か …), distance when a
 * location is known. The score is 100 × Σ(weight × component) ÷ Σ(weights that apply), minus the
 * penalties below, clamped to 0–100.
 */
export const SCORE_WEIGHTS = {
  /** 興味 ↔ 活動: share of the person's interests found in the place's activities/description/kind. */
  interests: 25,
  /** 参加の形 ↔ 種別・段階: what the person wants (居場所, 就労体験 …) and the ladder step. */
  wants: 25,
  /** 環境: 少人数, 静か, 見学・体験可, 同行可, 短時間可, 人混み, バリアフリー, 子連れ. */
  environment: 20,
  /** 距離: 1 at the door, 0 at the travel limit (default 15 km). */
  distance: 15,
  /** 開催の規則性: weekly 1, several a month 0.8, monthly 0.6, free-text hours 0.4, nothing 0.3. */
  regularity: 10,
  /** 情報の新しさ: verified ≤ 6 months 1, ≤ 12 months 0.7, older 0.2, unknown 0.5. */
  freshness: 5,
} as const;

/** Points taken off after weighting (uncertainties staff must check before proposing the place). */
export const SCORE_PENALTIES = {
  /** A kind that needs a 受給者証 and the person's certificate is unknown. */
  certificateUnknown: 10,
  /** 地域活動支援センター and the person has no certificate: usually fine, but registration must be checked. */
  registrationCheck: 5,
} as const;

/**
 * A person who states what they want (参加の形) and a place that fits none of it: the score is
 * multiplied by this, so a near, tidy place of the wrong kind does not outrank the right kind.
 */
export const WANT_MISMATCH_FACTOR = 0.6;

/**
 * Each thing the place is known to contradict in what the person can bear (定員が多い for 少人数 or
 * 人混みが苦手, a lively children's place for 静か) multiplies the score by this. Unknowns only lower
 * the environment component; a known conflict is worse than not knowing.
 */
export const ENVIRONMENT_CONFLICT_FACTOR = 0.8;

/**
 * 手帳不要 (techo_fuyo) on a place for 障がいのある人 opens it to these groups too: the people
 * 参加支援 serves without a certificate (Komatsu: ひきこもり, 生活困窮, young people). Not to a
 * person who is only 高齢者 or 子育て中の親子: a B型 workshop is not their place.
 */
export const TECHO_FUYO_OPENS_TO = ["hardship", "youth", "anyone"] as const;

/** Below this score a suggestion is shown but does not count as a fit: `unmet` is true when none reaches it. */
export const MIN_FIT_SCORE = 45;

/** Diversity: at most `maxPerKind` of one kind in the first `top` suggestions, while other kinds that fit remain. */
export const DIVERSITY = { top: 5, maxPerKind: 2 } as const;

/** Sessions are looked for this many days ahead, from today (Asia/Tokyo). */
export const HORIZON_DAYS = 28;

/** Search radius and travel limit when the needs give none. */
export const DEFAULT_RADIUS_KM = 15;

/** Travel limit when only a transport is given (no km, no minutes): fastest transport wins. */
export const DEFAULT_LIMIT_BY_TRANSPORT_KM = { walk: 2, bicycle: 5, bus: 10, pickup: 10 } as const;

/** 送迎が必要 (and nothing else): a place without 送迎 is only possible this close (walk with a companion). */
export const PICKUP_SHORT_KM = 1;

/** A session fits a time window when they overlap this long (or the whole session, if shorter). */
export const MIN_OVERLAP_MINUTES = 60;

/**
 * Ladder step by kind (1 見学・短時間から, 2 居場所・交流, 3 役割・活動, 4 就労体験, 5 就労).
 * 就労継続支援B型 is 4: productive activity without an employment contract, the 就労体験 step Komatsu
 * uses for people without a certificate; A型 (employment contract, minimum wage) is 5. A step-2 place
 * with both 見学可 and 短時間可 becomes step 1 for a person who needs an easy first step.
 */
export const KIND_STEPS: Record<string, LadderStep> = {
  library: 1,
  salon: 2,
  kaigo_yobo: 2,
  ibasho: 2,
  kodomo_shokudo: 2,
  kosodate_shien: 2,
  jido_center: 2,
  chiiki_katsudo: 2,
  kominkan: 2,
  welfare_center: 2,
  other: 2,
  volunteer: 3,
  work_experience: 4,
  shuro_ikou: 4,
  shuro_b: 4,
  shuro_a: 5,
};

/** The step each wanted participation points to; several wants start from the lowest. */
export const WANT_STEPS: Record<Want, LadderStep> = {
  ibasho: 2,
  koryu: 2,
  manabi: 2,
  yakuwari: 3,
  volunteer: 3,
  work_trial: 4,
  work: 5,
};

/**
 * Kinds that are not participation places for this engine (hard exclusion, any person): care and
 * welfare services are arranged through their own procedure (ケアマネジャー, 支給決定), consultation
 * bodies are where to ask, not where to go.
 */
export const EXCLUDED_KINDS: Record<string, string> = {
  day_service: "介護保険サービス（要介護・要支援認定とケアプランが必要）のため参加の場の候補にしない",
  care_service: "介護保険サービス（要介護・要支援認定とケアプランが必要）のため参加の場の候補にしない",
  after_school: "放課後児童クラブ・放課後等デイサービス（子どもの利用登録が必要）のため候補にしない",
  consultation: "相談窓口（参加の場ではない）",
};

/**
 * Kinds that need a certification (the certificate rule table). `exclude`: a person without a
 * certificate (手帳なし / noCertificate) is excluded unless the place has 手帳不要 (techo_fuyo, the
 * Komatsu arrangement); with the certificate unknown the place stays, with a caution and a penalty.
 * `caution`: never excluded, staff check registration (Yokkaichi's case: a 地域活動支援センター as the
 * first goal of a woman with no diagnosis).
 */
export const CERTIFICATE_RULES: Record<string, { needs: string; whenLacking: "exclude" | "caution" }> = {
  shuro_b: { needs: "障害福祉サービス受給者証", whenLacking: "exclude" },
  shuro_a: { needs: "障害福祉サービス受給者証", whenLacking: "exclude" },
  shuro_ikou: { needs: "障害福祉サービス受給者証", whenLacking: "exclude" },
  disability_day: { needs: "障害福祉サービス受給者証（生活介護など）", whenLacking: "exclude" },
  chiiki_katsudo: { needs: "利用登録（手帳がなくても利用できる所が多い）", whenLacking: "caution" },
};

/**
 * Words that show an interest in a place's name, services, activities or description (NFKC text).
 * Single characters are avoided: 「本」 would match 日本.
 */
export const INTEREST_KEYWORDS: Record<Interest, string[]> = {
  cooking: ["料理", "調理", "クッキング", "お菓子", "菓子作り", "パン作り", "パン工房", "弁当", "惣菜", "食堂", "会食", "厨房"],
  gardening: ["園芸", "農作業", "農園", "農業", "畑", "花壇", "野菜", "菜園", "ガーデン", "草花", "植物", "果樹"],
  crafts: ["手芸", "創作", "工作", "絵画", "書道", "陶芸", "編み物", "折り紙", "刺しゅう", "刺繍", "裁縫", "アート", "ちぎり絵", "手作り", "クラフト"],
  exercise: ["体操", "運動", "ウォーキング", "ストレッチ", "ヨガ", "筋力", "健脚", "介護予防", "スポーツ", "卓球", "ダンス", "健康づくり"],
  music: ["音楽", "歌", "うた", "カラオケ", "合唱", "楽器", "コーラス", "演奏", "リズム"],
  computer: ["パソコン", "PC", "スマホ", "スマートフォン", "デジタル", "データ入力", "入力作業", "プログラミング", "ウェブ", "IT"],
  children: ["子ども", "こども", "子供", "子育て", "親子", "乳幼児", "赤ちゃん", "児童", "学習支援", "保育", "キッズ"],
  animals: ["動物", "犬", "猫", "ペット", "牧場", "生き物", "うさぎ", "馬"],
  reading: ["読書", "図書", "朗読", "読み聞かせ", "絵本", "本の", "文庫"],
  talking: ["おしゃべり", "交流", "談話", "茶話", "お茶", "サロン", "語り", "ふれあい", "カフェ", "つどい", "集い", "居場所"],
  games: ["囲碁", "将棋", "麻雀", "マージャン", "ゲーム", "トランプ", "オセロ", "脳トレ", "カード"],
  learning: ["学び", "講座", "勉強", "学習", "講演", "研修", "資格", "教養", "講習"],
  cleaning: ["清掃", "掃除", "軽作業", "片付け", "リサイクル", "洗濯", "除草", "美化", "草取り"],
  making: ["ものづくり", "製作", "製造", "作業", "加工", "組立", "袋詰め", "部品", "木工", "縫製", "印刷", "生産活動", "箱折り"],
  eating: ["食事", "会食", "食堂", "ランチ", "昼食", "夕食", "ごはん", "ご飯", "給食", "弁当"],
};

/** Interests a kind implies by itself (counted at 0.7 of an explicit keyword match). */
export const KIND_INTERESTS: Record<string, Interest[]> = {
  kodomo_shokudo: ["eating", "children"],
  kaigo_yobo: ["exercise"],
  library: ["reading", "learning"],
  kosodate_shien: ["children", "talking"],
  jido_center: ["children"],
  salon: ["talking"],
  ibasho: ["talking"],
  kominkan: ["learning"],
  shuro_b: ["making"],
  shuro_a: ["making"],
};

/** How well a kind fits each wanted participation (0–1; missing = 0). */
export const WANT_KIND_FIT: Record<Want, Record<string, number>> = {
  ibasho: { ibasho: 1, chiiki_katsudo: 1, salon: 1, kosodate_shien: 1, kodomo_shokudo: 0.6, kominkan: 0.6, library: 0.6, jido_center: 0.6, welfare_center: 0.5, kaigo_yobo: 0.5 },
  koryu: { salon: 1, kominkan: 1, ibasho: 1, kodomo_shokudo: 1, kosodate_shien: 1, kaigo_yobo: 0.8, chiiki_katsudo: 0.8, jido_center: 0.8, welfare_center: 0.6, volunteer: 0.5 },
  manabi: { kominkan: 1, library: 1, kaigo_yobo: 0.5, chiiki_katsudo: 0.5, jido_center: 0.5, welfare_center: 0.5, shuro_ikou: 0.5 },
  yakuwari: { volunteer: 1, work_experience: 0.6, shuro_b: 0.6, kodomo_shokudo: 0.5, chiiki_katsudo: 0.5, salon: 0.3 },
  volunteer: { volunteer: 1, kodomo_shokudo: 0.5, salon: 0.3 },
  work_trial: { work_experience: 1, shuro_b: 1, shuro_ikou: 1, shuro_a: 0.6, volunteer: 0.4 },
  work: { shuro_a: 1, shuro_b: 0.8, shuro_ikou: 0.8, work_experience: 0.7 },
};

/** Activity words that make any place fit a want (e.g. a salon that asks for 運営ボランティア → 役割). */
export const WANT_KEYWORDS: Partial<Record<Want, string[]>> = {
  yakuwari: ["ボランティア", "お手伝い", "当番", "運営", "担い手", "役割"],
  volunteer: ["ボランティア", "お手伝い", "担い手"],
  manabi: ["講座", "教室", "学習", "勉強", "学び"],
  work_trial: ["職場体験", "就労体験", "仕事体験", "作業体験"],
};

/** Kinds that are lively with children: a person who needs quiet gets a low environment score there. */
export const NOISY_KINDS = new Set(["kodomo_shokudo", "jido_center", "kosodate_shien"]);

/** Kinds where a parent can come with a small child. */
export const CHILD_FRIENDLY_KINDS = new Set(["kosodate_shien", "jido_center", "kodomo_shokudo"]);

/** Work-like kinds where meals and work clothes may cost money (Komatsu's 移行促進費 covers them). */
export const WORK_COST_KINDS = new Set(["shuro_b", "shuro_a", "shuro_ikou", "work_experience"]);
