// Field schemas and their limits for the account forms, shared by the browser (input attributes)
// and the server actions. The common-password check needs a 10,000-entry list and stays on the
// server (password.server.ts).
import { z } from "zod";

/** Characters (Unicode code points, after NFKC). 12 because coordinators sign in without TOTP. */
export const PASSWORD_MIN_CHARS = 12;
/** UTF-8 bytes: enough for any passphrase, small enough that hashing cannot be abused. */
export const PASSWORD_MAX_BYTES = 1024;
export const EMAIL_MAX_CHARS = 254;
export const DISPLAY_NAME_MAX_CHARS = 50;
export const ORGANISATION_NAME_MAX_CHARS = 80;

const utf8 = new TextEncoder();
/** Control characters cannot be typed into a form field; seeing one means a broken client or a probe. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * NFKC so that a full-width digit typed with the IME on matches the half-width one typed later
 * (NIST SP 800-63B asks for a normalisation before hashing).
 */
export function normalisePassword(password: string): string {
  return password.normalize("NFKC");
}

export const EmailSchema = z
  .string({ error: "メールアドレスを入力してください" })
  .trim()
  .min(1, "メールアドレスを入力してください")
  .max(EMAIL_MAX_CHARS, `メールアドレスは${EMAIL_MAX_CHARS}文字以内で入力してください`)
  .toLowerCase()
  .pipe(z.email("メールアドレスの形式が正しくありません（例: tanaka@example.jp）"));

/** What a login form accepts: anything non-empty within the byte limit (the policy applies when setting). */
export const LoginPasswordSchema = z
  .string({ error: "パスワードを入力してください" })
  .min(1, "パスワードを入力してください")
  .refine((p) => utf8.encode(p).length <= PASSWORD_MAX_BYTES, `パスワードは${PASSWORD_MAX_BYTES}バイト以内です`)
  .transform(normalisePassword);

/** A new password: length limits here; the common-password check on the server. */
export const NewPasswordSchema = z
  .string({ error: "パスワードを入力してください" })
  .transform(normalisePassword)
  .refine((p) => [...p].length >= PASSWORD_MIN_CHARS, `パスワードは${PASSWORD_MIN_CHARS}文字以上にしてください`)
  .refine((p) => utf8.encode(p).length <= PASSWORD_MAX_BYTES, `パスワードは${PASSWORD_MAX_BYTES}バイト以内にしてください`)
  .refine((p) => !hasControlCharacter(p), "パスワードに使えない文字（制御文字）が含まれています");

export const DisplayNameSchema = z
  .string({ error: "氏名を入力してください" })
  .trim()
  .min(1, "氏名を入力してください")
  .max(DISPLAY_NAME_MAX_CHARS, `氏名は${DISPLAY_NAME_MAX_CHARS}文字以内で入力してください`)
  .refine((v) => !hasControlCharacter(v), "氏名に使えない文字が含まれています");

export const OrganisationNameSchema = z
  .string({ error: "所属名を入力してください" })
  .trim()
  .min(1, "所属名を入力してください")
  .max(ORGANISATION_NAME_MAX_CHARS, `所属名は${ORGANISATION_NAME_MAX_CHARS}文字以内で入力してください`)
  .refine((v) => !hasControlCharacter(v), "所属名に使えない文字が含まれています");

/** 6 digits; spaces and full-width digits (IME) are forgiven. */
export const TotpCodeSchema = z
  .string({ error: "確認コードを入力してください" })
  .transform((v) => v.normalize("NFKC").replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "確認コードは6桁の数字です"));

/** Recovery codes look like ABCD-EFGH-JKLM-NPQR; case, spaces and hyphens are forgiven. */
export const RecoveryCodeSchema = z
  .string({ error: "リカバリーコードを入力してください" })
  .transform((v) => v.normalize("NFKC").toUpperCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[A-Z2-7]{16}$/, "リカバリーコードは16文字の英数字です（例: ABCD-EFGH-JKLM-NPQR）"));

/** Field errors in the shape the forms show next to each field. */
export type FieldErrors = Partial<Record<string, string[]>>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** Only strings from a form (a File or a repeated field is treated as missing). */
export function formFields(form: FormData, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const values = form.getAll(name);
    out[name] = values.length === 1 && typeof values[0] === "string" ? values[0] : undefined;
  }
  return out;
}
