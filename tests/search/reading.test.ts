// Generated readings (search/reading.server.ts): kuromoji in a worker thread, found from the
// project's node_modules whether the module runs under tsx or bundled like build/index.js.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { fillReadings } from "../../search/documents.server";
import { locateKuromoji, readingOf, readingsOf, releaseReadingTokenizer } from "../../search/reading.server";
import { CONTRACT_DOCUMENTS } from "./engine-contract";

const root = path.resolve(import.meta.dirname, "../..");

afterAll(async () => {
  await releaseReadingTokenizer();
});

test("the dictionary is found in the project's node_modules", () => {
  const location = locateKuromoji();
  expect(location).not.toBeNull();
  expect(fs.existsSync(path.join(location!.dicPath, "base.dat.gz"))).toBe(true);
});

test("readings are katakana; unknown words keep their letters, kana become katakana", async () => {
  expect(await readingOf("子ども食堂")).toBe("コドモショクドウ");
  expect(await readingOf("石神井ゆうやけ子ども食堂")).toBe("シャクジイユウヤケコドモショクドウ");
  expect(await readingOf("SOMPO流こども食堂")).toBe("SOMPOリュウコドモショクドウ");
  expect(await readingOf("")).toBe("");
  const [a, b] = await readingsOf(["地域活動支援センター", "図書館"]);
  expect(a).toBe("チイキカツドウシエンセンター");
  expect(b).toBe("トショカン");
});

test("readings are cached: asking again costs nothing", async () => {
  await readingOf("大井川図書館");
  const started = performance.now();
  for (let i = 0; i < 1000; i++) await readingOf("大井川図書館");
  expect(performance.now() - started).toBeLessThan(200);
});

test("fillReadings fills only empty readings", async () => {
  const documents = [
    { ...CONTRACT_DOCUMENTS[0], reading: "ソノママ" },
    { ...CONTRACT_DOCUMENTS[1], name: "みなと子ども食堂", reading: "" },
  ];
  await fillReadings(documents);
  expect(documents[0].reading).toBe("ソノママ");
  expect(documents[1].reading).toBe("ミナトコドモショクドウ");
});

test("bundled like the Remix server build (node_modules external), it still finds the dictionary from any working directory", async () => {
  const esbuild = await import("esbuild");
  // Inside the project (as build/index.js is), in the git-ignored .cache folder.
  fs.mkdirSync(path.join(root, ".cache"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, ".cache", "reading-bundle-"));
  try {
    const entry = path.join(dir, "entry.ts");
    fs.writeFileSync(
      entry,
      `import { readingOf } from ${JSON.stringify(path.join(root, "search", "reading.server.ts"))};\nconsole.log(await readingOf("子ども食堂"));\n`,
    );
    const outfile = path.join(dir, "index.js");
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", packages: "external", outfile, logLevel: "silent" });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    for (const cwd of [root, os.tmpdir()]) {
      const run = spawnSync(process.execPath, [outfile], { cwd, encoding: "utf8", timeout: 60_000 });
      expect(run.stderr, cwd).toBe("");
      expect(run.stdout.trim(), cwd).toBe("コドモショクドウ");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
