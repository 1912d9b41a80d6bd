// A real Meilisearch server for tests: the binary comes from MEILI_BIN, then `meilisearch` on PATH,
// then .cache/meilisearch/meilisearch (installed by `npm run setup:meili`, test-only). Started on
// 127.0.0.1 with a random port, a master key and a temporary data folder; stopped after.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function findMeilisearchBinary(): string | null {
  const fromEnv = process.env.MEILI_BIN;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const which = spawnSync("sh", ["-c", "command -v meilisearch"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  const cached = path.join(root, ".cache", "meilisearch", "meilisearch");
  if (fs.existsSync(cached)) return cached;
  return null;
}

export interface MeiliServer {
  host: string;
  masterKey: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder (for outage tests). */
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitHealthy(host: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`meilisearch exited early:\n${output()}`);
    try {
      const response = await fetch(`${host}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`meilisearch did not start in 30 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMeilisearch(binary: string): Promise<MeiliServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-meili-"));
  const port = await freePort();
  const masterKey = `test-master-key-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const host = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = "";

  const launch = async () => {
    child = spawn(
      binary,
      ["--http-addr", `127.0.0.1:${port}`, "--master-key", masterKey, "--no-analytics", "--db-path", path.join(dataDir, "db"), "--dump-dir", path.join(dataDir, "dumps"), "--env", "development", "--log-level", "WARN"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (c) => (log += c));
    child.stderr?.on("data", (c) => (log += c));
    await waitHealthy(host, child, () => log);
  };
  const halt = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once("exit", r));
    running.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (running.exitCode === null) running.kill("SIGKILL");
  };

  await launch();
  return {
    host,
    masterKey,
    dataDir,
    port,
    restart: launch,
    stop: halt,
  };
}

/** Stops the server and removes its data folder. */
export async function disposeMeilisearch(server: MeiliServer): Promise<void> {
  await server.stop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
