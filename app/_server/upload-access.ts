/**
 * Access for the upload route, which proxy.ts does not see (a proxy makes Next hold the body
 * in memory and cut it at 10 MB): the same decision (decideAccess), from the same request
 * facts, taken before a byte of the body is read.
 */
import { configuredToken, decideAccess, SESSION_COOKIE, type Decision } from "./access";

/** The session cookie's value from a Cookie header, as the proxy's cookie parser reads it. */
function sessionCookie(header: string | null): string | null {
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

export function uploadAccess(request: Request, token: string | null = configuredToken()): Decision {
  const h = request.headers;
  return decideAccess(
    {
      method: request.method,
      pathname: new URL(request.url).pathname,
      host: h.get("host"),
      origin: h.get("origin"),
      fetchSite: h.get("sec-fetch-site"),
      authorization: h.get("authorization"),
      session: sessionCookie(h.get("cookie")),
    },
    token,
  );
}
