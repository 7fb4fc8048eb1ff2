/** The headers every answer carries: never framed, never sniffed, no referrer off this server. */
export function withSecurityHeaders<T extends Response>(response: T): T {
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "same-origin");
  if (!response.headers.has("content-security-policy")) response.headers.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  return response;
}
