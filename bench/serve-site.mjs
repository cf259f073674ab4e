#!/usr/bin/env node
// Serves a folder of static files on 127.0.0.1 with Node built-ins only:
//   node bench/serve-site.mjs samples/shop-site [port]
// Prints "listening http://127.0.0.1:<port>/" once ready (the benchmark reads that line).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";

const TYPES = {
  ".html": "text/html", // no charset on purpose: pages declare their own (the demo has a GBK page)
  ".xml": "application/xml",
  ".gz": "application/gzip",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".jpg": "image/jpeg",
  ".png": "image/png",
};

const [folder, portArg] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node bench/serve-site.mjs <folder> [port]");
  process.exit(2);
}
const root = path.resolve(folder);

const server = createServer(async (req, res) => {
  const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  let file = path.join(root, pathname);
  if (!file.startsWith(root)) return void res.writeHead(403).end();
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    const info = await stat(file);
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-length": info.size,
    });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portArg ?? 0), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`listening http://127.0.0.1:${port}/`);
});
