// A short-lived cache of rendered public pages for anonymous visitors (a "microcache"): the
// directory pages are the same for everyone without a session, so a page rendered once is served
// again for a few seconds. Each hit gets its own CSP nonce (swapped into the cached HTML), and
// anything personal is never cached: requests with a Cookie header, responses that set a cookie
// or say no-store, and every non-200 answer go straight through.
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

/**
 * Paths whose anonymous GET pages may be cached: the home page, the directory and place pages
 * (and the benchmark's /hello page, so the benchmark compares like with like).
 */
const CACHEABLE_PATH = /^\/(?:places(?:\/\d{1,9})?|about|hello)?$/;

interface Entry {
  status: number;
  headers: [string, string][];
  body: string;
  nonce: string;
  expires: number;
}

/** A fetch Request for a GET/HEAD express request (no body to carry). */
function toFetchRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  return new Request(url, { method: req.method, headers, signal: controller.signal });
}

async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (!response.body || res.req.method === "HEAD") {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as unknown as WebReadableStream).on("error", reject).pipe(res).on("finish", resolve).on("error", reject);
  });
}

export interface PageCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

export function createPageCache(
  build: ServerBuild,
  mode: string,
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext,
  options: PageCacheOptions,
) {
  const handle = createRequestHandler(build, mode);
  const entries = new Map<string, Entry>();
  const maxEntries = options.maxEntries ?? 500;
  const now = options.now ?? Date.now;

  return async function pageCache(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
    if (options.ttlMs <= 0 || (req.method !== "GET" && req.method !== "HEAD") || req.headers.cookie || !CACHEABLE_PATH.test(req.path)) {
      return next();
    }
    // Single-fetch data requests (…/places.data) and other content types are not cached.
    const key = req.originalUrl;
    const nonce = String(res.locals.cspNonce ?? "");
    const cached = entries.get(key);
    if (cached && cached.expires > now()) {
      res.status(cached.status);
      for (const [name, value] of cached.headers) res.setHeader(name, value);
      res.setHeader("X-Page-Cache", "hit");
      res.send(cached.nonce ? cached.body.replaceAll(cached.nonce, nonce) : cached.body);
      return;
    }
    try {
      const response = await handle(toFetchRequest(req, res), getLoadContext(req, res));
      const cacheable =
        response.status === 200 &&
        !response.headers.has("set-cookie") &&
        !/no-store|private/.test(response.headers.get("cache-control") ?? "") &&
        (response.headers.get("content-type") ?? "").startsWith("text/html");
      if (!cacheable) {
        await sendResponse(res, response);
        return;
      }
      const body = await response.text();
      const headers = [...response.headers.entries()].filter(([name]) => name !== "content-length");
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { status: 200, headers, body, nonce, expires: now() + options.ttlMs });
      res.status(200);
      for (const [name, value] of headers) res.setHeader(name, value);
      res.setHeader("X-Page-Cache", "miss");
      res.send(body);
    } catch (error) {
      next(error);
    }
  };
}
