import type { Metadata } from "next";
import { safeNext } from "../_server/access";

export const metadata: Metadata = { title: "Sign in · LIM Studio" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The token form, shown when this server was started with a token and the browser has no session. */
export default async function SignInPage({ searchParams }: Props) {
  const q = await searchParams;
  const next = safeNext(typeof q.next === "string" ? q.next : null);
  const wrong = q.error === "wrong-token";
  return (
    <main className="signin">
      <section className="card">
        <h1>Sign in</h1>
        <p className="sub">
          This LIM Studio is shared, so it asks for its token: the one in <code>LIM_TOKEN</code>, or the one <code>npm start</code> printed with its login link.
        </p>
        {wrong && (
          <p className="notice error" role="alert">
            That token is not this server&apos;s.
          </p>
        )}
        <form method="post" action="/api/signin">
          <input type="hidden" name="next" value={next} />
          <label>
            Token <input name="token" type="password" autoComplete="current-password" required autoFocus />
          </label>
          <button type="submit" className="btn">
            Sign in
          </button>
        </form>
      </section>
    </main>
  );
}
