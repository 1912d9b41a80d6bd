// Readings (katakana) of names the open data gives without 名称_カナ, generated with kuromoji, so
// 「こどもしょくどう」 finds 子ども食堂 whose source had no reading.
//
// kuromoji's dictionary costs ~0.7 s to load and ~290 MB of RSS that the process never gives back
// (measured: 80 → 370 MB in-process, still 366 MB after dropping the tokenizer). So the tokenizer
// lives in a worker thread, started on first use and terminated after READING_IDLE_MS without
// work: the fill at start pays the load once, the memory goes back (≈ +70 MB stays after the
// worker ends), and later single documents from the outbox relay start it again when needed.
// Readings are cached per name, so a name is only ever read once per process.
//
// The worker is plain JavaScript evaluated from a string (no separate file to find), and kuromoji
// is located from process.cwd()/node_modules first, then by resolving from this module: this file
// is bundled into build/index.js by the Remix compiler, where neither tsx nor a source path exists.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** Terminate the tokenizer after this long without requests (ms). */
const IDLE_MS = Number(process.env.READING_IDLE_MS ?? 60_000);
/** Names per message to the worker (keeps one message, and one pause of the worker, small). */
const BATCH = 2000;
/** Cached readings; the cache starts over past this size (names are few, this is a safety bound). */
const MAX_CACHE = 200_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const kuromoji = require(workerData.packageDir);
const HIRAGANA = /[\\u3041-\\u3096\\u309d\\u309e]/g;
const toKatakana = (text) => text.replace(HIRAGANA, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
kuromoji.builder({ dicPath: workerData.dicPath }).build((error, tokenizer) => {
  if (error) {
    parentPort.postMessage({ type: "failed", message: String((error && error.message) || error) });
    return;
  }
  parentPort.on("message", ({ id, texts }) => {
    const readings = texts.map((text) =>
      tokenizer
        .tokenize(text)
        .map((token) => (token.reading && token.reading !== "*" ? token.reading : toKatakana(token.surface_form)))
        .join("")
        .trim(),
    );
    parentPort.postMessage({ type: "readings", id, readings });
  });
  parentPort.postMessage({ type: "ready" });
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

class TokenizerWorker {
  private worker: Worker;
  private ready: Promise<void>;
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private loaded = false;

  constructor(location: KuromojiLocation, private readonly onExit: (worker: TokenizerWorker) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: location });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on("message", (message: { type: string; id?: number; readings?: string[]; message?: string }) => {
        if (message.type === "ready") {
          this.loaded = true;
          resolve();
        }
        else if (message.type === "failed") {
          const error = new ReadingLoadError(`kuromoji did not load: ${message.message}`);
          reject(error);
          this.close(error);
        } else if (message.type === "readings" && message.id !== undefined) {
          const waiting = this.pending.get(message.id);
          this.pending.delete(message.id);
          waiting?.resolve(message.readings ?? []);
          this.settle();
        }
      });
      this.worker.on("error", (error) => {
        // Before "ready" an error means kuromoji itself failed (require or dictionary).
        const failure = this.loaded ? error : new ReadingLoadError(`kuromoji did not load: ${error.message}`);
        reject(failure);
        this.close(failure);
      });
      this.worker.on("exit", (code) => {
        const error = new Error(`reading worker exited (${code})`);
        reject(error);
        this.close(error);
      });
    });
    // A rejection nobody awaits yet (the worker failing while idle) must not crash the process.
    this.ready.catch(() => {});
  }

  async read(texts: string[]): Promise<string[]> {
    if (this.closed) throw new Error("reading worker closed");
    this.cancelIdle();
    this.worker.ref();
    await this.ready;
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, texts });
    });
  }

  async terminate(): Promise<void> {
    this.close(new Error("reading worker terminated"));
    await this.worker.terminate();
  }

  /** No more work in flight: let the process exit without waiting for it, and end it when idle. */
  private settle(): void {
    if (this.pending.size > 0) return;
    this.worker.unref();
    this.cancelIdle();
    this.idleTimer = setTimeout(() => void this.terminate(), IDLE_MS);
    this.idleTimer.unref();
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private close(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelIdle();
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.onExit(this);
  }
}

const cache = new Map<string, string>();
let current: TokenizerWorker | null = null;
/** Set once kuromoji is known not to load here: readings are then left empty, with one warning. */
let unavailable: string | null = null;

function tokenizer(): TokenizerWorker | null {
  if (unavailable) return null;
  if (current) return current;
  const location = locateKuromoji();
  if (!location) {
    unavailable = "kuromoji or its dictionary was not found under node_modules";
    console.warn(`[search] readings are not generated: ${unavailable}`);
    return null;
  }
  current = new TokenizerWorker(location, (worker) => {
    if (current === worker) current = null;
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
    const worker = tokenizer();
    if (!worker) break;
    try {
      const readings = await worker.read(batch);
      if (cache.size + batch.length > MAX_CACHE) cache.clear();
      batch.forEach((text, k) => cache.set(text, readings[k] ?? ""));
    } catch (error) {
      // A load failure will not mend itself: stop trying (once, with a warning). Anything else
      // (the worker ended mid-request) leaves these readings empty and tries again next time.
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
  const worker = current;
  current = null;
  await worker?.terminate();
}
