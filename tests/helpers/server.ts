// Starts the real server (`scripts/start.ts`, as `npm start` does) on a free port over a fresh
// copy of the open-data database, for browser journeys. The build is made once in global setup.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createTestDatabaseWithOpenData, testEngine, type TestDatabase } from "./db";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The data encryption key test servers run with (NODE_ENV=production needs one); the test process
 * uses the same, so a test can read back what a server encrypted.
 */
export const TEST_DATA_KEYS = `test:${Buffer.alloc(32, 7).toString("base64")}`;
process.env.DATA_ENCRYPTION_KEYS ??= TEST_DATA_KEYS;

/** The SESSION_SECRET test servers run with; tests that mint cookies themselves use it too. */
export const TEST_SESSION_SECRET = "test-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

export interface RunningServer {
  url: string;
  database: TestDatabase;
  output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function startTestServer(
  extraEnv: Record<string, string> = {},
  options: { prepare?: (database: TestDatabase) => Promise<void> } = {},
): Promise<RunningServer> {
  const database = await createTestDatabaseWithOpenData();
  // Seed what the test needs (accounts, sessions) while we still hold the database.
  await options.prepare?.(database);
  // The server opens the database itself: release our handle first (PGlite is single-process).
  await database.close();
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: "127.0.0.1",
    PORT: String(port),
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    SESSION_SECRET: TEST_SESSION_SECRET,
    DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS ?? TEST_DATA_KEYS,
    ...extraEnv,
  };
  if (testEngine() === "postgres") env.DATABASE_URL = databaseUrlOf(database);
  else {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = database.location;
  }
  let output = "";
  const child: ChildProcess = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become healthy in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    database,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await database.cleanup().catch(() => {});
    },
  };
}

function databaseUrlOf(database: TestDatabase): string {
  const server = new URL(process.env.TEST_DATABASE_URL ?? "");
  server.pathname = database.location.split("/").pop() ?? "";
  return server.toString();
}
