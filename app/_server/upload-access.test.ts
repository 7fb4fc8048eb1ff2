import assert from "node:assert/strict";
import { test } from "node:test";
import { sessionValue } from "./access";
import { uploadAccess } from "./upload-access";

const post = (headers: Record<string, string>) => new Request("http://127.0.0.1:3000/api/runs", { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } });

test("the upload route decides access as the proxy does, from the request's own headers", () => {
  assert.equal(uploadAccess(post({}), null).kind, "allow");
  const foreign = uploadAccess(post({ origin: "https://attacker.example" }), null);
  assert.equal(foreign.kind === "deny" && foreign.status, 403);
  assert.equal(uploadAccess(post({ host: "attacker.example:3000" }), null).kind, "deny");

  const token = "a-long-enough-token-for-this-test";
  const none = uploadAccess(post({}), token);
  assert.equal(none.kind === "deny" && none.status, 401);
  assert.equal(uploadAccess(post({ authorization: `Bearer ${token}` }), token).kind, "allow");
  assert.equal(uploadAccess(post({ authorization: "Bearer wrong" }), token).kind, "deny");
  assert.equal(uploadAccess(post({ cookie: `theme=dark; lim_session=${sessionValue(token)}` }), token).kind, "allow");
  assert.equal(uploadAccess(post({ cookie: `lim_session=${sessionValue("another token")}` }), token).kind, "deny");
  assert.equal(uploadAccess(post({ cookie: `other_lim_session=${sessionValue(token)}` }), token).kind, "deny");
});
