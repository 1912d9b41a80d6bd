// `npm start`: builds the app when the build is missing or older than the sources, migrates the
// database, imports the bundled open data into an empty database, fills the search index, starts
// the outbox relay and serves on http://HOST:PORT (127.0.0.1:3000 by default).
// Everything runs in this one process: PGlite allows a single process per data folder.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import { count } from "drizzle-orm";
import express from "express";
import { openDatabase, setDatabase } from "../db/client.server";
import { migrateDatabase } from "../db/migrate.server";
import { resources } from "../db/schema";
import { importOpenData } from "../app/import/open-data.server";
import { ensureDataKeysInEnv } from "../app/utils/field-crypto.server";
import { getEnv } from "../app/utils/env.server";
import { createPageCache } from "../app/utils/page-cache.server";
import { log } from "../app/utils/logger.server";
import { redactPath, securityHeaders } from "../app/utils/security-headers.server";
import { getSearchEngine, prepareSearchIndex } from "../search/engine.server";
import { startOutboxRelay } from "../search/relay.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildEntry = path.join(root, "build", "index.js");

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function buildIfNeeded(): void {
  const built = fs.statSync(buildEntry, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(
    ...["app", "db", "search", "remix.config.js", "package-lock.json"].map((p) => newestMtime(path.join(root, p))),
  );
  if (built >= sources) return;
  log("info", "build.start");
  const result = spawnSync(path.join(root, "node_modules", ".bin", "remix"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error("remix build に失敗しました (build failed)");
}

export async function startServer() {
  const env = getEnv();
  // The Remix bundle has its own copy of env.server.ts: it must see the same secret (a generated
  // one for a newcomer's plain `npm start`), and React must load its production build, which it
  // chooses by NODE_ENV when the bundle imports it.
  process.env.SESSION_SECRET ||= env.SESSION_SECRET.join(",");
  ensureDataKeysInEnv();
  process.env.NODE_ENV ??= env.NODE_ENV;
  if (!process.env.SESSION_SECRET) {
    log("warn", "session-secret.generated", {
      file: ".data/dev-session-secret",
      hint: "本番では SESSION_SECRET と NODE_ENV=production を設定してください (set SESSION_SECRET and NODE_ENV=production in production)",
    });
  }
  buildIfNeeded();

  // Production may migrate as the schema owner and serve as the restricted app role (portal_app):
  // DATABASE_MIGRATION_URL, when set, is used for the migrations only.
  if (env.DATABASE_MIGRATION_URL) {
    const owner = await openDatabase({ url: env.DATABASE_MIGRATION_URL });
    await migrateDatabase(owner);
    await owner.close();
  }
  const handle = await openDatabase();
  setDatabase(handle);
  if (!env.DATABASE_MIGRATION_URL) await migrateDatabase(handle);
  log("info", "database.ready", { engine: handle.engine, location: handle.location });

  const [{ n }] = await handle.db.select({ n: count() }).from(resources);
  if (n === 0) {
    log("info", "open-data.import.start");
    const summaries = await importOpenData(handle);
    for (const s of summaries) {
      log("info", "open-data.import.file", { file: s.file, rowsRead: s.rowsRead, created: s.created, skipped: s.skipped.length });
    }
  }

  const engine = getSearchEngine();
  const indexed = await prepareSearchIndex(handle);
  log("info", "search.ready", { engine: engine.name, documents: indexed });
  const stopRelay = startOutboxRelay(handle, engine, {
    intervalMs: 1000,
    onError: (error) => log("warn", "search.relay.error", { message: error instanceof Error ? error.message : String(error) }),
  });

  const build = (await import(pathToFileURL(buildEntry).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting(env.TRUST_PROXY));
  const production = env.NODE_ENV === "production";
  // First, so every response (static files, errors) carries the headers and a request id.
  app.use((req, res, next) => {
    const requestId = crypto.randomUUID();
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.requestId = requestId;
    res.locals.cspNonce = nonce;
    res.setHeader("X-Request-Id", requestId);
    for (const [name, value] of Object.entries(securityHeaders({ nonce, production, tileUrl: env.MAP_TILE_URL }))) res.setHeader(name, value);
    next();
  });
  app.use(compression());
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      // The path only (query strings may carry something sensitive), with invite/reset tokens cut out.
      log("info", "http", {
        requestId: res.locals.requestId,
        method: req.method,
        path: redactPath(req.path),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
    });
    next();
  });
  // Read by entry.server/root (nonce) and by the account code (request id, client address).
  const getLoadContext = (req: express.Request, res: express.Response) => ({
    cspNonce: res.locals.cspNonce,
    requestId: res.locals.requestId,
    clientIp: req.ip,
  });
  app.use(createPageCache(build, env.NODE_ENV, getLoadContext, { ttlMs: env.PAGE_CACHE_SECONDS * 1000 }));
  app.all("*", createRequestHandler({ build, mode: env.NODE_ENV, getLoadContext }));

  const server = app.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.PORT;
    log("info", "server.listening", { url: `http://${env.HOST}:${port}` });
    console.log(`地域資源ポータル: http://${env.HOST}:${port}`);
  });

  server.on("error", (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === "EADDRINUSE"
        ? `ポート ${env.PORT} は他のプログラムが使用中です。PORT=3001 npm start のように別のポートを指定してください (port in use)`
        : error.message;
    console.error(`サーバーを起動できません: ${reason}`);
    void handle.close().finally(() => process.exit(1));
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log("info", "server.shutdown", { signal });
    server.close();
    server.closeAllConnections();
    await stopRelay();
    await handle.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  return server;
}

/** Express `trust proxy` from TRUST_PROXY: "0" off, a hop count, or a list of addresses/subnets. */
function trustProxySetting(value: string): boolean | number | string {
  if (value === "0" || value === "") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startServer().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
