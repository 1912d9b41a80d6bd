// Reading a municipal CSV file from its bytes: detect the encoding (UTF-8 with or without BOM,
// else CP932), parse with csv-parse, normalise header names and cell values. A broken record is
// reported with its row number instead of aborting the file. Pure: the caller reads the bytes.
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { normalizeHeader, normalizeText } from "./normalize";

export type TextEncodingName = "utf-8" | "utf-8-bom" | "cp932";

/** A record that could not be imported, with where to find it and why (in Japanese). */
export interface SkippedRow {
  /** Row number as a spreadsheet shows it: the header is row 1, the first record row 2. */
  row: number;
  /** Physical line in the file where the record starts (differs from `row` after multi-line cells). */
  line?: number;
  reason: string;
  /** What the row was, to find it without opening the file (its name, the duplicate it matched …). */
  detail?: string;
}

export interface CsvRecord {
  row: number;
  line: number;
  /** Cell values by normalised header name; missing trailing cells are "". */
  values: Record<string, string>;
}

export interface CsvTable {
  encoding: TextEncodingName;
  header: string[];
  records: CsvRecord[];
  /** Records that could not be read (broken quotes, wrong number of cells). */
  problems: SkippedRow[];
}

/**
 * Strict UTF-8 first (a CP932 file is almost never valid UTF-8), CP932 otherwise. Municipal
 * files come in both; Excel-made ones are CP932.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) return { text: text.slice(1), encoding: "utf-8-bom" };
    return { text, encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "cp932"), encoding: "cp932" };
  }
}

interface ParsedRecord {
  record: string[];
  /** `bytes`: UTF-8 offset just past the record's delimiter; `records`: good records so far. */
  info: { bytes: number; records: number };
}

/**
 * Line numbers from UTF-8 offsets. csv-parse's own line count drifts by one for every CRLF inside
 * a quoted cell, so lines are counted here: CRLF, LF and a lone CR are one break each.
 */
function lineLocator(text: string): (byteOffset: number) => number {
  const bytes = Buffer.from(text, "utf8");
  const breaks: number[] = [];
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === 0x0a || (byte === 0x0d && bytes[index + 1] !== 0x0a)) breaks.push(index);
  }
  return (byteOffset) => {
    // A record starts at the first byte that is not a line break (blank lines are skipped).
    let start = byteOffset;
    while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (breaks[middle] < start) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  };
}

/** Japanese text for csv-parse's error codes, for the import summary. */
function describeCsvError(code: string | undefined): string {
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "引用符（\"）が閉じられていない（この行からファイルの終わりまで読めなかった）";
    case "INVALID_OPENING_QUOTE":
      return "値の途中に引用符（\"）がある";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "閉じ引用符（\"）の後に区切り以外の文字がある";
    default:
      return `CSV として読めない行（${code ?? "不明なエラー"}）`;
  }
}

/** Parses decoded CSV text. Never throws for malformed content; problems are listed instead. */
export function parseCsvText(text: string, encoding: TextEncodingName = "utf-8"): CsvTable {
  const errors: { code: string | undefined; records: number }[] = [];
  const parsed = parse(text, {
    info: true,
    // Files mix CRLF and LF (Tokyo) and put LF inside quoted CRLF files (Yaizu 区分).
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const record = error as (Error & { code?: string; records?: number }) | undefined;
      errors.push({ code: record?.code, records: record?.records ?? 0 });
      return undefined;
    },
  }) as unknown as ParsedRecord[];

  const problems: SkippedRow[] = [];
  const [headerRecord, ...dataRecords] = parsed;
  if (!headerRecord) {
    return { encoding, header: [], records: [], problems: [{ row: 1, line: 1, reason: "見出し行がない（空のファイル）" }] };
  }
  const header = headerRecord.record.map(normalizeHeader);

  // A record starts where the previous one ended; the header is good record 1.
  const lineAt = lineLocator(text);
  const endOffsetByRecord = new Map<number, number>([[headerRecord.info.records, headerRecord.info.bytes]]);
  for (const { info } of dataRecords) endOffsetByRecord.set(info.records, info.bytes);
  const startLine = (recordsBefore: number): number => lineAt(endOffsetByRecord.get(recordsBefore) ?? 0);

  // csv-parse counts only the records it emits; a failed record comes after `error.records` good
  // ones. One bad record can raise two errors (same count): it is reported once.
  const failedAfter = [...new Set(errors.map((error) => error.records))].sort((a, b) => a - b);
  const failedBefore = (goodRecords: number): number => failedAfter.filter((n) => n < goodRecords).length;
  for (const goodRecords of failedAfter) {
    const error = errors.find((candidate) => candidate.records === goodRecords);
    problems.push({
      row: goodRecords + 1 + failedBefore(goodRecords),
      line: startLine(goodRecords),
      reason: describeCsvError(error?.code),
    });
  }

  const records: CsvRecord[] = [];
  for (const { record, info } of dataRecords) {
    const row = info.records + failedBefore(info.records);
    const line = startLine(info.records - 1);
    const trailingEmptyOnly = record.slice(header.length).every((cell) => cell.trim() === "");
    if (record.length < header.length || (record.length > header.length && !trailingEmptyOnly)) {
      problems.push({
        row,
        line,
        reason: `列の数が見出しと合わない（見出し ${header.length} 列、この行 ${record.length} 列）`,
        detail: record.slice(0, 6).map((cell) => normalizeText(cell)).filter(Boolean).join(" / ").slice(0, 80),
      });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, index) => {
      // A duplicated header keeps its first non-empty value.
      const value = normalizeText(record[index] ?? "");
      if (!(name in values) || (!values[name] && value)) values[name] = value;
    });
    records.push({ row, line, values });
  }
  problems.sort((a, b) => a.row - b.row);
  return { encoding, header, records, problems };
}

export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsvBytes(bytes);
  return parseCsvText(text, encoding);
}
