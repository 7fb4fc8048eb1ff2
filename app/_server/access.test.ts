import assert from "node:assert/strict";
import { test } from "node:test";
import { configuredToken, decideAccess, hostName, safeNext, sessionValue, type RequestFacts } from "./access";

const TOKEN = "s3cret-token";
const req = (over: Partial<RequestFacts>): RequestFacts => ({
  method: "GET",
  pathname: "/",
  host: "127.0.0.1:3000",
  origin: null,
  fetchSite: null,
  authorization: null,
  session: null,
  ...over,
});

test("without a token, only requests addressed to this machine are served (DNS rebinding is refused)", () => {
  for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST"]) assert.equal(decideAccess(req({ host }), null).kind, "allow", host);
  for (const host of ["evil.example:3000", "192.168.1.7:3000", "127.0.0.1.evil.example", null]) {
    const d = decideAccess(req({ host }), null);
    assert.equal(d.kind, "deny", String(host));
    assert.equal(d.kind === "deny" && d.status, 403);
  }
});

test("with a token, pages go to sign-in and API routes answer 401 until the token is given", () => {
  assert.deepEqual(decideAccess(req({ pathname: "/runs/demo" }), TOKEN), { kind: "sign-in", next: "/runs/demo" });
  const api = decideAccess(req({ pathname: "/api/runs" }), TOKEN);
  assert.equal(api.kind === "deny" && api.status, 401);
  assert.equal(decideAccess(req({ pathname: "/api/runs", authorization: `Bearer ${TOKEN}` }), TOKEN).kind, "allow");
  assert.equal(decideAccess(req({ pathname: "/runs/demo", session: sessionValue(TOKEN) }), TOKEN).kind, "allow");
  // Any host once the token is in force: the token is what protects.
  assert.equal(decideAccess(req({ host: "lim.lab.example", session: sessionValue(TOKEN) }), TOKEN).kind, "allow");
});

test("a wrong token is 401, and the cookie is not the token itself", () => {
  const wrong = decideAccess(req({ pathname: "/runs/demo", authorization: "Bearer nope" }), TOKEN);
  assert.equal(wrong.kind === "deny" && wrong.status, 401, "a wrong bearer token is refused, not sent to sign in");
  assert.equal(decideAccess(req({ pathname: "/api/runs", session: TOKEN }), TOKEN).kind, "deny", "the raw token is no session");
  assert.equal(decideAccess(req({ pathname: "/api/runs", session: sessionValue("other") }), TOKEN).kind, "deny");
  assert.notEqual(sessionValue(TOKEN), TOKEN);
});

test("the sign-in page and static files need no token; everything else does", () => {
  for (const pathname of ["/signin", "/api/signin", "/_next/static/chunks/app.js", "/icon.svg"]) assert.equal(decideAccess(req({ pathname }), TOKEN).kind, "allow", pathname);
  for (const pathname of ["/", "/api/runs/demo/export", "/runs/demo/prompts/3", "/signin/../api/runs"]) assert.notEqual(decideAccess(req({ pathname }), TOKEN).kind, "allow", pathname);
});

test("a request that changes data from another origin is refused, signed in or not", () => {
  const post = { method: "POST", pathname: "/api/runs" };
  for (const token of [null, TOKEN]) {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const foreign = decideAccess(req({ ...post, ...auth, origin: "https://evil.example" }), token);
    assert.equal(foreign.kind === "deny" && foreign.status, 403);
    assert.equal(decideAccess(req({ ...post, ...auth, fetchSite: "cross-site" }), token).kind, "deny");
    assert.equal(decideAccess(req({ ...post, ...auth, origin: "null" }), token).kind, "deny");
    assert.equal(decideAccess(req({ method: "DELETE", pathname: "/api/runs/demo", ...auth, origin: "http://127.0.0.1:4000" }), token).kind, "deny", "another port is another origin");
    assert.equal(decideAccess(req({ ...post, ...auth, origin: "http://127.0.0.1:3000", fetchSite: "same-origin" }), token).kind, "allow");
    assert.equal(decideAccess(req({ ...post, ...auth }), token).kind, "allow", "a script sends no Origin");
  }
  // Reading is not changing: a link from elsewhere still opens a page.
  assert.equal(decideAccess(req({ origin: "https://elsewhere.example", fetchSite: "cross-site" }), null).kind, "allow");
});

test("host names, the token in force, and where sign-in may go next", () => {
  assert.equal(hostName("[::1]:3000"), "[::1]");
  assert.equal(hostName("Example.org:80"), "example.org");
  assert.equal(configuredToken({ LIM_TOKEN: " t " }), "t");
  assert.equal(configuredToken({ LIM_AUTH_TOKEN: "a", LIM_TOKEN: "b" }), "a");
  assert.equal(configuredToken({ LIM_TOKEN: "" }), null);
  assert.equal(safeNext("/runs/demo?threshold=0.5"), "/runs/demo?threshold=0.5");
  for (const bad of ["//evil.example", "https://evil.example", "/\\evil.example", "runs", null, "/a\r\nSet-Cookie: x"]) assert.equal(safeNext(bad), "/", String(bad));
});
