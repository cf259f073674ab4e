import { promisify } from "node:util";
import zlib from "node:zlib";
import type { Readable } from "node:stream";
import { request, type Dispatcher } from "undici";

/** One HTTP exchange, redirects not followed. */
export type Exchange =
  | { kind: "response"; status: number; headers: Record<string, string>; body: Buffer; timestamp: string }
  /** Headers were enough to decide; the body was discarded. */
  | {
      kind: "head-only";
      status: number;
      headers: Record<string, string>;
      timestamp: string;
      reason?: "too-large" | "not-html";
    }
  | { kind: "error"; code: "crawl/timeout" | "crawl/network-error"; message: string; retryable: boolean };

export interface ExchangeOptions {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  maxBodyBytes: number;
  /** Refuse bodies whose declared type is not HTML (pages); sitemaps and robots.txt take anything. */
  htmlOnly: boolean;
  /** Whole-exchange deadline: a body trickling in just under the idle timeout must still end. */
  deadlineMs: number;
  /** The crawl's own deadline (`--max-time`). */
  signal?: AbortSignal;
  /** Keep the first `maxBodyBytes` of a larger body instead of refusing it (robots.txt). */
  truncate?: boolean;
}

const NO_RETRY_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ERR_INVALID_URL", "UND_ERR_INVALID_ARG"]);
const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/** Performs one GET; bodies are read only for 2xx, capped (after decompression) and never for redirects or errors. */
export async function exchange(url: URL, options: ExchangeOptions): Promise<Exchange> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: "GET",
      dispatcher: options.dispatcher,
      headers: options.headers,
      signal: withDeadline(options),
    });
  } catch (error) {
    return networkError(error, options.deadlineMs);
  }
  const timestamp = new Date().toISOString();
  const headers = flattenHeaders(response.headers);
  const { statusCode: status, body } = response;
  if (status < 200 || status >= 300) {
    await discard(body);
    return { kind: "head-only", status, headers, timestamp };
  }
  const type = headers["content-type"];
  if (options.htmlOnly && type !== undefined && !isHtmlType(type)) {
    await discard(body);
    return { kind: "head-only", status, headers, timestamp, reason: "not-html" };
  }
  const declared = Number(headers["content-length"]);
  if (
    !options.truncate &&
    Number.isFinite(declared) &&
    declared > options.maxBodyBytes &&
    !headers["content-encoding"]
  ) {
    body.destroy();
    return { kind: "head-only", status, headers, timestamp, reason: "too-large" };
  }
  try {
    if (options.truncate) {
      const prefix = await readPrefix(body, options.maxBodyBytes);
      return {
        kind: "response",
        status,
        headers,
        body: await decompressPrefix(prefix, headers["content-encoding"], options.maxBodyBytes),
        timestamp,
      };
    }
    const raw = await readCapped(body, options.maxBodyBytes);
    if (raw === undefined) return { kind: "head-only", status, headers, timestamp, reason: "too-large" };
    const decoded = await decompress(raw, headers["content-encoding"], options.maxBodyBytes);
    if (decoded === undefined) return { kind: "head-only", status, headers, timestamp, reason: "too-large" };
    return { kind: "response", status, headers, body: decoded, timestamp };
  } catch (error) {
    return networkError(error, options.deadlineMs);
  }
}

function withDeadline(options: ExchangeOptions): AbortSignal {
  const own = AbortSignal.timeout(options.deadlineMs);
  return options.signal ? AbortSignal.any([own, options.signal]) : own;
}

function isHtmlType(contentType: string): boolean {
  const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mime === "text/html" || mime === "application/xhtml+xml";
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

async function readCapped(body: Readable, cap: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > cap) {
      body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The first `cap` bytes of a body; the rest is not read. */
async function readPrefix(body: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= cap) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, size).subarray(0, cap);
}

/** Decompresses as much of a (possibly cut) body as fits in `cap`; what decompressed before an error is kept. */
async function decompressPrefix(raw: Buffer, encoding: string | undefined, cap: number): Promise<Buffer> {
  const name = encoding?.trim().toLowerCase();
  const stream =
    name === "gzip" || name === "x-gzip"
      ? zlib.createGunzip()
      : name === "deflate"
        ? zlib.createInflate()
        : name === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!stream) return raw;
  const chunks: Buffer[] = [];
  let size = 0;
  stream.end(raw);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= cap) break;
    }
  } catch (error) {
    if (size === 0) throw error;
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size).subarray(0, cap);
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

/** undici's `request` leaves content-encoding to us; the cap also stops decompression bombs. */
async function decompress(raw: Buffer, encoding: string | undefined, cap: number): Promise<Buffer | undefined> {
  const name = encoding?.trim().toLowerCase();
  const limit = { maxOutputLength: cap };
  try {
    if (name === "gzip" || name === "x-gzip") return await gunzip(raw, limit);
    if (name === "deflate") return await inflate(raw, limit);
    if (name === "br") return await brotli(raw, limit);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return undefined;
    throw error;
  }
  return raw;
}

async function discard(body: Readable): Promise<void> {
  try {
    await (body as Readable & { dump(options?: { limit: number }): Promise<void> }).dump({ limit: 64 * 1024 });
  } catch {
    // A body we do not want may fail to drain; the socket is simply not reused then.
  }
}

function networkError(error: unknown, deadlineMs: number): Exchange {
  const code = String((error as { code?: unknown }).code ?? "");
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const causeCode = String(cause?.code ?? "");
  const message = (error as Error).message || code || "request failed";
  if ((error as Error).name === "TimeoutError")
    return {
      kind: "error",
      code: "crawl/timeout",
      message: `no complete response within ${deadlineMs} ms`,
      retryable: true,
    };
  if (TIMEOUT_CODES.has(code) || TIMEOUT_CODES.has(causeCode))
    return { kind: "error", code: "crawl/timeout", message, retryable: true };
  return {
    kind: "error",
    code: "crawl/network-error",
    message: causeCode ? `${message} (${causeCode})` : message,
    retryable: !NO_RETRY_CODES.has(code) && !NO_RETRY_CODES.has(causeCode),
  };
}
