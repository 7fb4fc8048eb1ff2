/**
 * Who may use this server, decided per request before any page or route runs (proxy.ts).
 *
 * - Without a token (the default, bound to loopback) the dashboard is for this machine only:
 *   a request must be addressed to 127.0.0.1, localhost or [::1]. A page on another site
 *   that points a DNS name at 127.0.0.1 (DNS rebinding) sends its own name as Host and is
 *   refused.
 * - With a token (LIM_TOKEN, or the one `npm start` makes when bound to another address)
 *   every page and API route needs it: a signed-in browser's cookie or a script's
 *   `Authorization: Bearer <token>`. Pages without it go to the sign-in page; API routes
 *   answer 401, as does a wrong token.
 * - Either way, a request that changes data (anything but GET, HEAD, OPTIONS) from a page on
 *   another origin is refused, so no form elsewhere can upload, replace or delete a run.
 *
 * Tokens are compared in constant time, through their SHA-256 so lengths never differ.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "lim_session";

export interface RequestFacts {
  method: string;
  pathname: string;
  /** The Host header. */
  host: string | null;
  origin: string | null;
  /** Sec-Fetch-Site, which browsers send with every request. */
  fetchSite: string | null;
  authorization: string | null;
  /** The session cookie's value. */
  session: string | null;
}

export type Decision =
  | { kind: "allow" }
  | { kind: "deny"; status: 401 | 403; message: string }
  | { kind: "sign-in"; next: string };

/** Paths anyone may fetch: the sign-in page and route, and the app's static files (no data). */
const PUBLIC = [/^\/signin$/, /^\/api\/signin$/, /^\/_next\/static\//, /^\/icon\.svg$/, /^\/favicon\.ico$/];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The token in force: `npm start`'s (LIM_AUTH_TOKEN), else LIM_TOKEN, else none. */
export function configuredToken(env: Record<string, string | undefined> = process.env): string | null {
  const t = (env.LIM_AUTH_TOKEN || env.LIM_TOKEN || "").trim();
  return t === "" ? null : t;
}

/** What the session cookie holds: derived from the token, so the cookie never is the token. */
export function sessionValue(token: string): string {
  return createHash("sha256").update("lim-studio-session\0").update(token).digest("base64url");
}

export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The host name of a Host header ("127.0.0.1:3000" -> "127.0.0.1", "[::1]:3000" -> "[::1]"). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.indexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

export function decideAccess(req: RequestFacts, token: string | null): Decision {
  if (!SAFE_METHODS.has(req.method.toUpperCase())) {
    const foreign = foreignOrigin(req);
    if (foreign) return { kind: "deny", status: 403, message: foreign };
  }
  if (token === null) {
    const name = req.host ? hostName(req.host) : "";
    if (!LOOPBACK.has(name)) {
      return {
        kind: "deny",
        status: 403,
        message: `This LIM Studio serves this machine only (requests to 127.0.0.1 or localhost), and this one was addressed to "${req.host ?? ""}". To serve a team, start it with HOST set to the address to bind (it then asks for a token), or set LIM_TOKEN.`,
      };
    }
    return { kind: "allow" };
  }
  if (PUBLIC.some((p) => p.test(req.pathname))) return { kind: "allow" };
  const bearer = /^Bearer\s+(.+)$/i.exec(req.authorization?.trim() ?? "")?.[1];
  if (bearer !== undefined) {
    return sameSecret(bearer.trim(), token) ? { kind: "allow" } : { kind: "deny", status: 401, message: "wrong token (Authorization: Bearer <token>)" };
  }
  if (req.session !== null && sameSecret(req.session, sessionValue(token))) return { kind: "allow" };
  if (req.pathname.startsWith("/api/")) return { kind: "deny", status: 401, message: "this LIM Studio needs a token: send Authorization: Bearer <token>, or sign in at /signin" };
  return { kind: "sign-in", next: req.pathname };
}

/** Why a data-changing request is refused as coming from another site, or null. */
function foreignOrigin(req: RequestFacts): string | null {
  if (req.fetchSite === "cross-site") return "refused: this request to change data comes from another site";
  if (req.origin === null || req.origin === "null") return req.origin === "null" ? "refused: this request to change data comes from an opaque origin" : null;
  let originHost: string;
  try {
    originHost = new URL(req.origin).host.toLowerCase();
  } catch {
    return `refused: the Origin "${req.origin}" is not a URL`;
  }
  if (req.host === null || originHost !== req.host.trim().toLowerCase()) return `refused: this request to change data comes from ${req.origin}, not from this server`;
  return null;
}

/**
 * Where to go after signing in: a path on this server only (never "//elsewhere" or a URL),
 * so the sign-in link cannot send anyone off-site.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\r\n]/.test(next)) return "/";
  return next;
}
