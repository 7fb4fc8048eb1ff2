import { NextResponse, type NextRequest } from "next/server";
import { configuredToken, decideAccess, SESSION_COOKIE } from "./app/_server/access";
import { withSecurityHeaders } from "./app/_server/security-headers";

/**
 * Every request passes here first (Next runs proxy.ts on Node): access (app/_server/access.ts),
 * then the headers that keep a page from being framed or from running anything it did not ship.
 * Pages get a Content-Security-Policy with a fresh nonce, which Next puts on its own scripts;
 * any other script (an injected one in a prompt, say) does not run.
 */
export function proxy(request: NextRequest) {
  const h = request.headers;
  // A run or set name in the path is percent-decoded by the page; a broken escape would throw there.
  if (!decodes(request.nextUrl.pathname)) {
    return withSecurityHeaders(Response.json({ error: `the address ${request.nextUrl.pathname} is not valid percent-encoding (UTF-8)` }, { status: 400 }) as NextResponse);
  }
  const decision = decideAccess(
    {
      method: request.method,
      pathname: request.nextUrl.pathname,
      host: h.get("host"),
      origin: h.get("origin"),
      fetchSite: h.get("sec-fetch-site"),
      authorization: h.get("authorization"),
      session: request.cookies.get(SESSION_COOKIE)?.value ?? null,
    },
    configuredToken(),
  );
  if (decision.kind === "deny") {
    return withSecurityHeaders(Response.json({ error: decision.message }, { status: decision.status }) as NextResponse);
  }
  if (decision.kind === "sign-in") {
    const to = new URL("/signin", request.url);
    to.searchParams.set("next", decision.next + request.nextUrl.search);
    return withSecurityHeaders(NextResponse.redirect(to, 303));
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const forwarded = new Headers(h);
  forwarded.set("x-nonce", nonce);
  forwarded.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("content-security-policy", csp);
  return withSecurityHeaders(response);
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // `next dev` evaluates modules for hot reload; a built app never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
    // KaTeX and the charts set inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const config = {
  // Static chunks carry no data and are public (the sign-in page needs them). The upload
  // (/api/runs) is not seen here: with a proxy, Next holds a request's body in memory and cuts
  // it at 10 MB. That route asks decideAccess itself before it reads a byte
  // (app/_server/upload-access.ts).
  matcher: ["/((?!_next/static|_next/image|api/runs$).*)"],
};
