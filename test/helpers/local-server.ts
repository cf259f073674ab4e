import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A canned response, or a handler for anything fancier (stalls, counters). */
export type Route =
  | { status?: number; headers?: Record<string, string>; body?: string | Buffer }
  | ((req: IncomingMessage, res: ServerResponse) => void);

export interface LocalServer {
  origin: string;
  /** `127.0.0.1:<port>` */
  host: string;
  url(path: string): string;
  /** Every request in arrival order. */
  requests: Array<{ path: string; at: number; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a random port; unknown paths are 404. Never touches the internet. */
export async function startLocalServer(routes: Record<string, Route>): Promise<LocalServer> {
  const requests: LocalServer["requests"] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push({ path, at: Date.now(), headers: req.headers });
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (typeof route === "function") {
      route(req, res);
      return;
    }
    res
      .writeHead(route.status ?? 200, route.headers ?? { "content-type": "text/html; charset=utf-8" })
      .end(route.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    url: (path) => `${origin}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A small product page with JSON-LD. */
export function productPage(title: string, extraBody = "", jsonLd: Record<string, unknown> = {}): string {
  const data = {
    "@context": "https://schema.org",
    "@type": "Product",
    name: title,
    offers: { "@type": "Offer", price: 10, priceCurrency: "CNY" },
    ...jsonLd,
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><script type="application/ld+json">${JSON.stringify(data)}</script></head><body><main><h1>${title}</h1>${extraBody}</main></body></html>`;
}
