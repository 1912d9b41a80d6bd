// The profile set: realistic people from the 参加支援 case examples of the reference plans (四日市市,
// 長泉町, 小松市) and the everyday work of participation-support staff, each with the kinds of place
// acceptable in their top 3. Run over the bundled open data plus the sample venues
// (tests/matching/profiles.test.ts). Homes are near the real cities of the bundled data.
import type { NeedsInput } from "~/matching/needs";

export interface MatchingProfile {
  /** Who the person is, in a line (fictional). */
  who: string;
  needs: NeedsInput;
  /** Every kind in the top 3 (of the suggestions that fit, score ≥ MIN_FIT_SCORE) must be one of these. */
  acceptableKinds: string[];
  /** At least one of the top 3 must be one of these (the place the case is about), when given. */
  expectKindInTop3?: string[];
}

const YAIZU = { lat: 34.866, lon: 138.318 };
const KUDAMATSU = { lat: 34.021, lon: 131.872 };
const NERIMA = { lat: 35.741, lon: 139.652 };

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"] as const;
const weekdays = (from: string, to: string) => WEEKDAYS.map((weekday) => ({ weekday, from, to }));

export const PROFILES: MatchingProfile[] = [
  {
    who: "8050世帯の息子（40代、知的障害・療育手帳、B型に通所中。父が認知症になり生活の立て直し中）— 四日市市の事例①",
    needs: {
      location: YAIZU,
      targetGroups: ["障がいのある人"],
      certificate: "療育手帳",
      wants: ["就労体験", "就労"],
      interests: ["ものづくり・製作作業", "清掃・軽作業"],
      availability: weekdays("09:00", "16:00"),
      transport: ["徒歩", "バス"],
    },
    acceptableKinds: ["shuro_b", "shuro_a", "work_experience", "shuro_ikou"],
    expectKindInTop3: ["shuro_b"],
  },
  {
    who: "長くひきこもっていた50代女性（一人暮らし、精神疾患の疑い・未受診、人混みが苦手）。短期目標は地域活動支援センター — 四日市市の事例②",
    needs: {
      location: YAIZU,
      targetGroups: ["障がいのある人", "生活困窮"],
      certificate: "不明",
      wants: ["居場所"],
      interests: ["手芸・創作"],
      availability: [
        { weekday: "TU", from: "10:00", to: "15:00" },
        { weekday: "TH", from: "10:00", to: "15:00" },
      ],
      conditions: { smallGroup: true, quiet: true, avoidCrowds: true, firstTimeFriendly: true, needsAccompaniment: true },
      maxDistanceKm: 3,
      shortTermGoal: "地域活動支援センターに通う",
      longTermGoal: "就労に向けた支援",
    },
    acceptableKinds: ["chiiki_katsudo", "ibasho", "library", "volunteer", "kominkan"],
    expectKindInTop3: ["chiiki_katsudo"],
  },
  {
    who: "ヤングケアラーの高校生（16歳、母の介護と弟の世話。土曜の午後と平日夕方なら出られる）",
    needs: {
      location: KUDAMATSU,
      targetGroups: ["子ども・若者"],
      wants: ["居場所", "交流"],
      interests: ["料理", "おしゃべり・交流"],
      availability: [{ weekday: "SA", from: "11:00", to: "17:00" }, ...weekdays("16:00", "19:00")],
      maxCostYen: 300,
    },
    acceptableKinds: ["ibasho", "kodomo_shokudo", "jido_center", "volunteer"],
    expectKindInTop3: ["ibasho"],
  },
  {
    who: "乳児と二人きりで過ごす母親（30代、転入したばかりで知り合いがいない）",
    needs: {
      location: YAIZU,
      targetGroups: ["子育て中の親子"],
      wants: ["交流"],
      availability: weekdays("09:00", "12:00"),
      conditions: { childcareNeeded: true, shortTime: true },
      transport: ["徒歩"],
      maxMinutes: 30,
    },
    acceptableKinds: ["kosodate_shien", "jido_center", "kodomo_shokudo"],
    expectKindInTop3: ["kosodate_shien"],
  },
  {
    who: "軽度の認知症が始まった70代男性（妻と二人暮らし、外出が減っている。家族が付き添える）",
    needs: {
      location: KUDAMATSU,
      targetGroups: ["高齢者"],
      wants: ["交流"],
      interests: ["体操・運動", "音楽"],
      conditions: { needsAccompaniment: true, quiet: true },
      transport: ["送迎が必要"],
    },
    acceptableKinds: ["salon", "kaigo_yobo", "ibasho"],
    expectKindInTop3: ["salon"],
  },
  {
    who: "障害者手帳はないが生産活動をしたい30代男性（ひきこもり経験、生活困窮）— 小松市のB型活用",
    needs: {
      location: YAIZU,
      targetGroups: ["生活困窮"],
      certificate: "手帳なし",
      wants: ["就労体験"],
      interests: ["清掃・軽作業"],
      availability: weekdays("09:00", "15:00"),
    },
    acceptableKinds: ["shuro_b", "work_experience", "chiiki_katsudo"],
    expectKindInTop3: ["shuro_b"],
  },
  {
    who: "定年退職した60代男性（地域で役割を持ちたい。機械いじりと畑が好き）",
    needs: {
      location: NERIMA,
      targetGroups: ["高齢者"],
      wants: ["役割", "ボランティア"],
      interests: ["園芸・農作業", "清掃・軽作業"],
    },
    // A salon looking for 担い手 is a role too, for a retired man who likes to help.
    acceptableKinds: ["volunteer", "work_experience", "kodomo_shokudo", "salon"],
    expectKindInTop3: ["volunteer"],
  },
  {
    who: "就労体験をしてみたい20歳の若者（高校中退後、家にいることが多い）",
    needs: {
      location: NERIMA,
      targetGroups: ["子ども・若者", "生活困窮"],
      certificate: "手帳なし",
      wants: ["就労体験"],
      interests: ["園芸・農作業"],
      availability: [
        { weekday: "WE", from: "09:00", to: "13:00" },
        { weekday: "FR", from: "13:00", to: "18:00" },
      ],
      conditions: { needsAccompaniment: true },
    },
    acceptableKinds: ["work_experience", "ibasho"],
    expectKindInTop3: ["work_experience"],
  },
  {
    who: "30代のひきこもりの男性（手帳なし、静かで少人数の場なら行けるかもしれない）",
    needs: {
      location: KUDAMATSU,
      targetGroups: ["生活困窮"],
      certificate: "手帳なし",
      wants: ["居場所"],
      interests: ["囲碁・将棋・ゲーム"],
      conditions: { quiet: true, smallGroup: true, firstTimeFriendly: true, needsAccompaniment: true },
    },
    acceptableKinds: ["ibasho", "salon", "volunteer", "chiiki_katsudo", "library"],
    expectKindInTop3: ["ibasho"],
  },
  {
    who: "一人暮らしの80代女性（体操が好き。閉じこもりがちで介護予防を勧められた）",
    needs: {
      location: YAIZU,
      targetGroups: ["高齢者"],
      wants: ["交流"],
      interests: ["体操・運動"],
      availability: weekdays("09:00", "12:00"),
      transport: ["徒歩"],
    },
    acceptableKinds: ["salon", "kaigo_yobo", "kominkan"],
    expectKindInTop3: ["kaigo_yobo", "salon"],
  },
  {
    who: "車いすを使う70代女性（身体障害者手帳、段差のない場所が必要。歌が好き）",
    needs: {
      location: KUDAMATSU,
      targetGroups: ["高齢者", "障がいのある人"],
      certificate: "身体障害者手帳",
      wants: ["交流"],
      interests: ["音楽"],
      conditions: { barrierFree: true },
    },
    acceptableKinds: ["salon", "kaigo_yobo", "chiiki_katsudo", "ibasho"],
    expectKindInTop3: ["salon"],
  },
  {
    who: "小学生の子を育てるひとり親の父親（生活が苦しく、食事を一緒にとれる場を探している）",
    needs: {
      location: YAIZU,
      targetGroups: ["子育て中の親子", "生活困窮"],
      wants: ["居場所", "交流"],
      interests: ["食事・会食", "子ども"],
      availability: [
        { weekday: "WE", from: "17:00", to: "20:00" },
        { weekday: "SA", from: "10:00", to: "15:00" },
      ],
      maxCostYen: 300,
    },
    acceptableKinds: ["kodomo_shokudo", "kosodate_shien", "jido_center"],
    expectKindInTop3: ["kodomo_shokudo"],
  },
  {
    who: "精神障害者保健福祉手帳のある40代男性（体調が安定し、働くことを目標にしたい）",
    needs: {
      location: NERIMA,
      targetGroups: ["障がいのある人"],
      certificate: "精神障害者保健福祉手帳",
      wants: ["就労"],
      interests: ["パソコン"],
      availability: weekdays("09:00", "16:00"),
    },
    acceptableKinds: ["shuro_a", "shuro_b", "shuro_ikou", "work_experience"],
  },
  {
    who: "囲碁と将棋が好きな70代男性（妻を亡くして話し相手がいない）",
    needs: { location: NERIMA, targetGroups: ["高齢者"], wants: ["交流"], interests: ["囲碁・将棋・ゲーム"] },
    acceptableKinds: ["salon", "kaigo_yobo", "kominkan", "volunteer", "kodomo_shokudo"],
    expectKindInTop3: ["salon"],
  },
  {
    who: "不安が強く学校に行けなくなった19歳の女性（パソコンを学びたい、人の少ない時間がよい）",
    needs: {
      location: NERIMA,
      targetGroups: ["子ども・若者"],
      wants: ["学び", "居場所"],
      interests: ["パソコン"],
      conditions: { smallGroup: true, firstTimeFriendly: true },
    },
    acceptableKinds: ["ibasho", "kominkan", "library", "kodomo_shokudo"],
    expectKindInTop3: ["ibasho"],
  },
  {
    who: "生活保護を受ける60代男性（飲酒の問題で孤立。誰かの役に立つことをしたい）",
    needs: {
      location: YAIZU,
      targetGroups: ["生活困窮"],
      certificate: "手帳なし",
      wants: ["役割"],
      interests: ["清掃・軽作業"],
      maxCostYen: 0,
    },
    acceptableKinds: ["volunteer", "work_experience", "shuro_b", "kodomo_shokudo", "chiiki_katsudo"],
    expectKindInTop3: ["volunteer"],
  },
  {
    who: "住所地だけ分かっている高齢の女性（焼津市、交流の場を探している）",
    needs: { area: "焼津市", targetGroups: ["高齢者"], wants: ["交流"], interests: ["おしゃべり・交流"] },
    acceptableKinds: ["salon", "kaigo_yobo", "kominkan", "welfare_center", "ibasho"],
    expectKindInTop3: ["salon"],
  },
  {
    who: "年金が少なく無料の場しか行けない70代男性（焼津市）",
    needs: { location: YAIZU, targetGroups: ["高齢者"], wants: ["交流"], interests: ["体操・運動"], maxCostYen: 0 },
    acceptableKinds: ["kaigo_yobo", "kominkan", "welfare_center", "volunteer", "library", "ibasho"],
    expectKindInTop3: ["kaigo_yobo"],
  },
  {
    who: "土曜しか空いていない20代の若者（平日は家族の世話。同世代と話したい）",
    needs: {
      location: YAIZU,
      targetGroups: ["子ども・若者"],
      wants: ["居場所", "交流"],
      availability: [{ weekday: "SA", from: "09:00", to: "18:00" }],
    },
    acceptableKinds: ["ibasho", "kodomo_shokudo", "volunteer", "jido_center", "kominkan", "library"],
    expectKindInTop3: ["ibasho"],
  },
  {
    who: "1歳の子を育てる母親（練馬区、産後うつの傾向があり短時間から）",
    needs: {
      location: NERIMA,
      targetGroups: ["子育て中の親子"],
      wants: ["交流", "居場所"],
      conditions: { childcareNeeded: true, shortTime: true, firstTimeFriendly: true },
      availability: weekdays("10:00", "12:00"),
    },
    acceptableKinds: ["kosodate_shien", "jido_center", "kodomo_shokudo"],
    expectKindInTop3: ["kosodate_shien"],
  },
  {
    who: "送迎がないと外出できない80代男性（下松市、足腰が弱ってきた）",
    needs: {
      location: KUDAMATSU,
      targetGroups: ["高齢者"],
      wants: ["交流"],
      interests: ["体操・運動"],
      transport: ["送迎が必要"],
      conditions: { barrierFree: true },
    },
    acceptableKinds: ["salon", "kaigo_yobo", "ibasho"],
    expectKindInTop3: ["salon"],
  },
  {
    who: "親の介護をしている50代女性（8050世帯の介護者、短い時間だけ息抜きをしたい）",
    needs: {
      location: KUDAMATSU,
      targetGroups: ["誰でも"],
      wants: ["居場所"],
      interests: ["おしゃべり・交流"],
      conditions: { shortTime: true, quiet: true },
      availability: [
        { weekday: "TU", from: "13:00", to: "16:00" },
        { weekday: "TH", from: "13:00", to: "16:00" },
      ],
    },
    acceptableKinds: ["salon", "ibasho", "kominkan", "library"],
  },
];
