// The security headers every response carries (scripts/start.ts sets them before anything else
// runs, static files included). Scripts run only with the per-request nonce; styles may be inline
// because Leaflet positions map tiles and markers with style attributes.
export interface SecurityHeaderOptions {
  nonce: string;
  production: boolean;
  /** MAP_TILE_URL: its origin may serve images. */
  tileUrl: string;
}

/** "https://{s}.tile.example.org/{z}/{x}/{y}.png" → "https://*.tile.example.org". */
export function tileSource(tileUrl: string): string | null {
  const match = /^(https?:\/\/)([^/?#]+)/.exec(tileUrl);
  if (!match) return null;
  const host = match[2].replace(/\{[a-z]+\}/gi, "*");
  if (!/^[A-Za-z0-9.*:-]+$/.test(host)) return null;
  return `${match[1]}${host}`;
}

export function contentSecurityPolicy({ nonce, tileUrl }: SecurityHeaderOptions): string {
  const tiles = tileSource(tileUrl);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${tiles ? ` ${tiles}` : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Only in production: over plain http in development a browser would ignore it anyway, and a
  // test host must not be pinned to https.
  if (options.production) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** Paths whose last segment is a secret token: logged as the route pattern only. */
export function redactPath(path: string): string {
  return path.replace(/^\/invite\/[^/]+/, "/invite/:token").replace(/^\/password\/reset\/[^/]+/, "/password/reset/:token");
}
