// Debian's Chromium driven by playwright-core (never a downloaded browser), and axe for
// accessibility. Screenshots go to tests/artifacts/ (git-ignored); with SCREENSHOT_DIR set, the
// README's (names starting with `coordinator-`) are copied there as well (e.g. docs/screenshots).
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";

export const artifactsDir = path.resolve(import.meta.dirname, "../artifacts");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Screenshot names the README uses: with SCREENSHOT_DIR set, these are copied there too. */
const README_SCREENSHOT = /^coordinator-/;

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  const readmeDir = process.env.SCREENSHOT_DIR;
  if (readmeDir && README_SCREENSHOT.test(name)) {
    const target = path.resolve(readmeDir);
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(file, path.join(target, `${name}.png`));
  }
  return file;
}

export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

/**
 * A new context (Japanese locale, Tokyo time, every request outside 127.0.0.1 refused) and a page
 * whose uncaught errors and CSP / hydration console errors are collected in `problems`.
 */
export async function watchedPage(browser: Browser, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo", javaScriptEnabled: options.javaScriptEnabled ?? true });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort("internetdisconnected"));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|hydrat/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

const usedCodes = new Set<string>();

/** A TOTP code this process has not used yet for the secret (the server refuses a replay). */
export async function freshTotpCode(secret: string): Promise<string> {
  const { generateTotpCode } = await import("../../app/utils/totp.server");
  for (;;) {
    const code = generateTotpCode(secret, new Date());
    if (!usedCodes.has(`${secret}:${code}`)) {
      usedCodes.add(`${secret}:${code}`);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Signs a user in through /login and the TOTP step; returns on /account. */
export async function signInWithTotp(browser: Browser, serverUrl: string, user: { email: string; password: string; totpSecret: string | null }, options: { javaScriptEnabled?: boolean } = {}) {
  const watched = await watchedPage(browser, options);
  const { page } = watched;
  await page.goto(`${serverUrl}/login`);
  await page.getByLabel("メールアドレス").fill(user.email);
  await page.getByLabel("パスワード").fill(user.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(/\/account\/2fa/);
  await page.getByLabel("確認コード（6桁）").fill(await freshTotpCode(user.totpSecret!));
  await page.getByRole("button", { name: "確認する" }).click();
  await page.waitForURL(/\/account$/);
  return watched;
}
