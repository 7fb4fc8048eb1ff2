import { configuredToken, safeNext, sameSecret, SESSION_COOKIE, sessionValue } from "../../_server/access";

export const dynamic = "force-dynamic";

/**
 * Signing a browser in: `GET /api/signin?token=...&next=/path` (the login link `npm start`
 * prints) or the sign-in form's POST. A right token sets the session cookie (HttpOnly,
 * SameSite=Strict, Secure behind TLS) and goes on to `next`; a wrong one answers 401 (the
 * form goes back to the sign-in page, which says so).
 */
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams;
  return signIn(request, q.get("token"), q.get("next"), false);
}

export async function POST(request: Request) {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ error: "send the token as a form field named token" }, { status: 400 });
  }
  const field = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : null);
  return signIn(request, field("token"), field("next"), true);
}

function signIn(request: Request, given: string | null, nextParam: string | null, fromForm: boolean): Response {
  const token = configuredToken();
  const next = safeNext(nextParam);
  if (token === null) return redirect(request, next); // no token in force: nothing to sign in to
  if (given === null || !sameSecret(given.trim(), token)) {
    // The form goes back to the sign-in page, which says so; the link and scripts get a 401.
    if (fromForm) return redirect(request, `/signin?error=wrong-token&next=${encodeURIComponent(next)}`);
    return Response.json({ error: "wrong token" }, { status: 401 });
  }
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const cookie = `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}; Max-Age=${60 * 60 * 24 * 30}`;
  return redirect(request, next, 303, cookie);
}

/** A redirect to a path on this server, with the session cookie when one was made. */
function redirect(request: Request, to: string, status = 303, cookie?: string): Response {
  const url = new URL(to, request.url);
  const headers = new Headers({ location: url.pathname + url.search });
  if (cookie) headers.set("set-cookie", cookie);
  return new Response(null, { status, headers });
}
