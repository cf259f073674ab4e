import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/** What a fault handler gets: the raw socket, the request path and its headers (lower-cased names). */
export interface RawRequest {
  path: string;
  headers: Record<string, string>;
}

/** Writes whatever it likes to the socket, however wrong: lying headers, resets, stalls, endless bodies. */
export type FaultHandler = (socket: Socket, request: RawRequest) => void;

export interface FaultServer {
  origin: string;
  host: string;
  url(path: string): string;
  /** Every request in arrival order. */
  requests: RawRequest[];
  close(): Promise<void>;
}

/**
 * A raw TCP server speaking just enough HTTP/1.1 to misbehave on purpose, on `address` (127.0.0.1 by
 * default) and a random port. Unknown paths get a 404. Never touches the internet.
 */
export async function startFaultServer(
  routes: Record<string, FaultHandler>,
  address = "127.0.0.1",
): Promise<FaultServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("latin1");
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      const [requestLine = "", ...headerLines] = buffered.slice(0, end).split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const request = { path: requestLine.split(" ")[1] ?? "/", headers };
      requests.push(request);
      const route = routes[request.path];
      if (route) route(socket, request);
      else socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${address}:${port}`;
  return {
    origin,
    host: `${address}:${port}`,
    url: (path) => `${origin}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A complete response with the given head lines (no Content-Length unless given) and body; then closes. */
export function rawResponse(socket: Socket, head: string[], body: Buffer | string = ""): void {
  socket.end(
    Buffer.concat([
      Buffer.from(`${head.join("\r\n")}\r\nConnection: close\r\n\r\n`, "latin1"),
      Buffer.isBuffer(body) ? body : Buffer.from(body),
    ]),
  );
}

/** A 200 HTML response with a correct Content-Length. */
export function htmlResponse(
  socket: Socket,
  body: Buffer | string,
  contentType = "text/html; charset=utf-8",
  extraHead: string[] = [],
): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  rawResponse(
    socket,
    ["HTTP/1.1 200 OK", `Content-Type: ${contentType}`, `Content-Length: ${bytes.length}`, ...extraHead],
    bytes,
  );
}
