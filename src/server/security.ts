import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { FastifyInstance } from "fastify";

/** Loopback addresses: a server bound to one is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

/**
 * No inline script or style, no plugins, no framing, no base rewriting: hostile listing text that slipped
 * through escaping still could not run.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Security headers on every answer and, when a token is set, `Authorization: Bearer <token>` on every API
 * call. The token travels in a header, never a cookie, so a page on another site cannot make a browser
 * send it: there is no CSRF surface.
 */
export function registerSecurity(app: FastifyInstance, token: string | undefined): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("cross-origin-opener-policy", "same-origin");
    reply.header("cross-origin-resource-policy", "same-origin");
    if (token === undefined || !request.url.startsWith("/api/v1/")) return;
    const header = request.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
    if (!sameToken(given, token)) {
      return reply.code(401).send({
        error: { code: "unauthorized", message: "this server needs Authorization: Bearer <token> on every API call" },
      });
    }
  });
}
