// The resource fields a column mapping can fill, with the labels the mapping step shows. Pure and
// browser-safe (the upload page renders them); the server checks a mapping with columnMappingSchema.

export const MAPPING_FIELDS = [
  { field: "name", label: "名称", hint: "必須" },
  { field: "nameKana", label: "ふりがな", hint: "カナ・ひらがな" },
  { field: "id", label: "行の識別子（ID・NO）", hint: "再取り込みで同じ行を見分けます。なければ名称＋住所" },
  { field: "address", label: "住所", hint: "" },
  { field: "postalCode", label: "郵便番号", hint: "" },
  { field: "latitude", label: "緯度", hint: "" },
  { field: "longitude", label: "経度", hint: "" },
  { field: "phone", label: "電話番号", hint: "" },
  { field: "email", label: "メールアドレス", hint: "" },
  { field: "url", label: "ホームページ（URL）", hint: "" },
  { field: "operator", label: "運営者", hint: "" },
  { field: "description", label: "説明", hint: "" },
  { field: "capacity", label: "定員", hint: "" },
  { field: "weekdays", label: "曜日", hint: "「月水」「Mon,Wed」「Mon-Fri」" },
  { field: "startTime", label: "開始時刻", hint: "「10:00」「１０：００」" },
  { field: "endTime", label: "終了時刻", hint: "" },
  { field: "hours", label: "日時（自由記述）", hint: "「毎週水曜 10時～12時」など" },
] as const;

export type MappingField = (typeof MAPPING_FIELDS)[number]["field"];

/** Form names: `column.<field>` for a column, `kindColumn` or `kindValue` for the kind. */
export const columnInputName = (field: MappingField) => `column.${field}`;
