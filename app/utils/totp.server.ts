// TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step for clock drift) through `otpauth`, the QR code
// for enrolment as inline SVG (no image request, nothing sent elsewhere), and recovery codes.
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";
import qrcode from "qrcode-generator";
import { SITE_NAME } from "./site";
import { sha256Hex } from "./secrets.server";

const PERIOD = 30;
const DIGITS = 6;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label = "") {
  return new TOTP({ issuer: SITE_NAME, label, algorithm: "SHA1", digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// URI that authenticator apps read from the QR code. */
export function totpUri(secret: string, accountLabel: string): string {
  return totpFor(secret, accountLabel).toString();
}

export function totpQrSvg(uri: string): string {
  const qr = qrcode(0, "M");
  qr.addData(uri);
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
}

/** The current code (tests and the demo seed use it to sign in). */
export function generateTotpCode(secret: string, now: Date): string {
  return totpFor(secret).generate({ timestamp: now.getTime() });
}

/**
 * The time step the code belongs to, or null. A step at or before `lastStep` is refused, so a
 * code seen over someone's shoulder cannot be used a second time.
 */
export function verifyTotpCode(input: { secret: string; code: string; now: Date; lastStep: number | null }): number | null {
  const totp = totpFor(input.secret);
  const delta = totp.validate({ token: input.code, timestamp: input.now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = totp.counter({ timestamp: input.now.getTime() }) + delta;
  if (input.lastStep !== null && step <= input.lastStep) return null;
  return step;
}

const RECOVERY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of 16 base32 characters (80 bits each), shown once as ABCD-EFGH-JKLM-NPQR. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = crypto.randomBytes(16);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]).join("");
    return chars.match(/.{4}/g)!.join("-");
  });
}

/** Codes carry 80 random bits, so a plain SHA-256 is enough (no slow hash needed to resist guessing). */
export function hashRecoveryCode(normalised: string): string {
  return sha256Hex(`recovery:${normalised.replace(/-/g, "").toUpperCase()}`);
}
