// What the account code needs to know about a request: its id (for logs and the audit log), the
// client address (only ever kept as a keyed hash) and a short browser description.
import crypto from "node:crypto";
import { hmacHex } from "./secrets.server";

/** Set by scripts/start.ts for every request (getLoadContext); absent when a test calls an action directly. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Nonce for inline scripts under the Content-Security-Policy. */
    cspNonce?: string;
    /** Also sent back as the X-Request-Id header and written to every log line. */
    requestId?: string;
    /** Express `req.ip` (honours TRUST_PROXY). */
    clientIp?: string;
  }
}

export interface RequestInfo {
  requestId: string;
  /** HMAC of the client address: lets the audit log and rate limiter group requests, without storing the address. */
  ipHash: string;
  /** e.g. "Chrome / Windows"; never the full User-Agent string. */
  userAgent: string;
}

export function requestInfo(request: Request, context: { requestId?: string; clientIp?: string } | undefined): RequestInfo {
  const requestId = context?.requestId ?? crypto.randomUUID();
  const ip = context?.clientIp ?? "unknown";
  return { requestId, ipHash: hashIp(ip), userAgent: summariseUserAgent(request.headers.get("user-agent")) };
}

export function hashIp(ip: string): string {
  return hmacHex("ip-hash", ip).slice(0, 32);
}

export function summariseUserAgent(header: string | null): string {
  if (!header) return "不明なブラウザ";
  const ua = header.slice(0, 512);
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\/|Chromium\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "その他のブラウザ";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Android/.test(ua)
        ? "Android"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "その他";
  return `${browser} / ${os}`;
}

/** The origin that links in mail point to and that POSTs must come from. */
export function appOrigin(request: Request, configured: string | undefined): string {
  return configured ?? new URL(request.url).origin;
}
