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
