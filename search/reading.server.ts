// Readings (katakana) of names the open data gives without 名称_カナ, generated with kuromoji, so
// 「こどもしょくどう」 finds 子ども食堂 whose source had no reading.
//
// kuromoji's dictionary costs ~0.6 s to load and ~300 MB of memory, which a Node process does not
// give back once touched (measured in-process: RSS 80 → 370 MB, still 366 MB after dropping the
// tokenizer; in a worker thread still +90 MB after the worker ended). So the tokenizer runs in a
// child process, started on first use and ended after READING_IDLE_MS (default 60 s) without
// work: the fill at start pays the load once, all of the memory goes back with the child, and the
// outbox relay starts it again when a new name needs a reading. Readings are cached per name in
// this process, so a name is only ever read once.
//
// The child runs plain JavaScript given with `node -e` (no separate file to find), and kuromoji is
// located from process.cwd()/node_modules first, then by resolving from this module: this file may
// be bundled into build/index.js by the Remix compiler, where no source path exists.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/** Terminate the tokenizer after this long without requests (ms). */
const IDLE_MS = Number(process.env.READING_IDLE_MS ?? 60_000);
/** Names per request to the child (keeps one message, and one pause of the child, small). */
const BATCH = 2000;
/** Cached readings; the cache starts over past this size (names are few, this is a safety bound). */
const MAX_CACHE = 200_000;

/** The child: reads {id, texts} lines on stdin, answers {id, readings} lines on stdout. */
const CHILD_SOURCE = `
const kuromoji = require(process.env.PORTAL_KUROMOJI_DIR);
const readline = require("node:readline");
const HIRAGANA = /[\\u3041-\\u3096\\u309d\\u309e]/g;
const toKatakana = (text) => text.replace(HIRAGANA, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
const send = (message) => process.stdout.write(JSON.stringify(message) + "\\n");
kuromoji.builder({ dicPath: process.env.PORTAL_KUROMOJI_DICT }).build((error, tokenizer) => {
  if (error) {
    send({ type: "failed", message: String((error && error.message) || error) });
    process.exit(1);
  }
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const { id, texts } = JSON.parse(line);
    const readings = texts.map((text) =>
      tokenizer
        .tokenize(text)
        .map((token) => (token.reading && token.reading !== "*" ? token.reading : toKatakana(token.surface_form)))
        .join("")
        .trim(),
    );
    send({ type: "readings", id, readings });
  });
  // The parent went away: nothing more will come.
  lines.on("close", () => process.exit(0));
  send({ type: "ready" });
});
`;

export interface KuromojiLocation {
  packageDir: string;
  dicPath: string;
}

/** Where kuromoji and its dictionary are: ./node_modules first, else resolved from this module. */
export function locateKuromoji(): KuromojiLocation | null {
  const candidates: string[] = [path.join(process.cwd(), "node_modules", "kuromoji")];
  try {
    candidates.push(path.dirname(createRequire(import.meta.url).resolve("kuromoji/package.json")));
  } catch {
    // not resolvable from here: the cwd candidate is all there is
  }
  for (const packageDir of candidates) {
    const dicPath = path.join(packageDir, "dict");
    if (fs.existsSync(path.join(packageDir, "package.json")) && fs.existsSync(path.join(dicPath, "base.dat.gz"))) {
      return { packageDir, dicPath };
    }
  }
  return null;
}

/** kuromoji itself could not be loaded here (missing dictionary, broken install). */
class ReadingLoadError extends Error {}

interface Pending {
  resolve(readings: string[]): void;
  reject(error: Error): void;
}

type Child = ChildProcessByStdio<Writable, Readable, null>;

class TokenizerProcess {
  private child: Child;
  private ready: Promise<void>;
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private loaded = false;
  private buffer = "";

  constructor(location: KuromojiLocation, private readonly onExit: (tokenizer: TokenizerProcess) => void) {
    const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_KUROMOJI_DIR: location.packageDir, PORTAL_KUROMOJI_DICT: location.dicPath };
    // Loaders and flags meant for this process (tsx, test runners) have no business in the child.
    delete env.NODE_OPTIONS;
    this.child = spawn(process.execPath, ["-e", CHILD_SOURCE], { env, stdio: ["pipe", "pipe", "ignore"] });
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.stdout.setEncoding("utf8");
      this.child.stdout.on("data", (chunk: string) => {
        this.buffer += chunk;
        for (let end = this.buffer.indexOf("\n"); end !== -1; end = this.buffer.indexOf("\n")) {
          const line = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 1);
          let message: { type: string; id?: number; readings?: string[]; message?: string };
          try {
            message = JSON.parse(line);
          } catch {
            continue;
          }
          if (message.type === "ready") {
            this.loaded = true;
            resolve();
          } else if (message.type === "failed") {
            const error = new ReadingLoadError(`kuromoji did not load: ${message.message}`);
            reject(error);
            this.close(error);
          } else if (message.type === "readings" && message.id !== undefined) {
            const waiting = this.pending.get(message.id);
            this.pending.delete(message.id);
            waiting?.resolve(message.readings ?? []);
            this.settle();
          }
        }
      });
      this.child.on("error", (error) => {
        // Before "ready" an error means the child or kuromoji itself failed.
        const failure = this.loaded ? error : new ReadingLoadError(`kuromoji did not load: ${error.message}`);
        reject(failure);
        this.close(failure);
      });
      this.child.on("exit", (code, signal) => {
        const message = `reading process exited (${signal ?? code})`;
        const error = this.loaded ? new Error(message) : new ReadingLoadError(`kuromoji did not load: ${message}`);
        reject(error);
        this.close(error);
      });
      // Writing to a child that has just died raises EPIPE here; the exit handler reports it.
      this.child.stdin.on("error", () => {});
    });
    // A rejection nobody awaits yet (the child failing while idle) must not crash the process.
    this.ready.catch(() => {});
  }

  async read(texts: string[]): Promise<string[]> {
    if (this.closed) throw new Error("reading process closed");
    this.cancelIdle();
    this.setRef(true);
    await this.ready;
    if (this.closed) throw new Error("reading process closed");
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ id, texts }) + "\n");
    });
  }

  async terminate(): Promise<void> {
    this.close(new Error("reading process terminated"));
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill();
      await exited;
    }
  }

  /** No more work in flight: let this process exit without waiting for the child, and end it when idle. */
  private settle(): void {
    if (this.pending.size > 0) return;
    this.setRef(false);
    this.cancelIdle();
    this.idleTimer = setTimeout(() => void this.terminate(), IDLE_MS);
    this.idleTimer.unref();
  }

  private setRef(on: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout] as { ref?: () => void; unref?: () => void }[];
    for (const handle of handles) (on ? handle.ref : handle.unref)?.call(handle);
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private close(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelIdle();
    this.setRef(false);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.onExit(this);
  }
}

const cache = new Map<string, string>();
let current: TokenizerProcess | null = null;
/** Set once kuromoji is known not to load here: readings are then left empty, with one warning. */
let unavailable: string | null = null;

function tokenizer(): TokenizerProcess | null {
  if (unavailable) return null;
  if (current) return current;
  const location = locateKuromoji();
  if (!location) {
    unavailable = "kuromoji or its dictionary was not found under node_modules";
    console.warn(`[search] readings are not generated: ${unavailable}`);
    return null;
  }
  current = new TokenizerProcess(location, (process) => {
    if (current === process) current = null;
  });
  return current;
}

/**
 * Katakana readings of `texts`, in order ("" for empty text, or when kuromoji cannot be loaded).
 * Texts already read are answered from the cache without starting the tokenizer.
 */
export async function readingsOf(texts: readonly string[]): Promise<string[]> {
  const missing = [...new Set(texts.filter((text) => text.trim() !== "" && !cache.has(text)))];
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const child = tokenizer();
    if (!child) break;
    try {
      const readings = await child.read(batch);
      if (cache.size + batch.length > MAX_CACHE) cache.clear();
      batch.forEach((text, k) => cache.set(text, readings[k] ?? ""));
    } catch (error) {
      // A load failure will not mend itself: stop trying (once, with a warning). Anything else
      // (the child ended mid-request) leaves these readings empty and tries again next time.
      if (error instanceof ReadingLoadError && !unavailable) {
        unavailable = error.message;
        console.warn(`[search] readings are not generated: ${unavailable}`);
      }
      break;
    }
  }
  return texts.map((text) => cache.get(text) ?? "");
}

/** The katakana reading of one text (cached). */
export async function readingOf(text: string): Promise<string> {
  return (await readingsOf([text]))[0];
}

/** Ends the tokenizer now (scripts and tests that want the memory back or a clean exit). */
export async function releaseReadingTokenizer(): Promise<void> {
  const running = current;
  current = null;
  await running?.terminate();
}
