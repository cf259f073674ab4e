// Takes the README's screenshots of the web workbench: starts the built server (dist/) on 127.0.0.1 with
// a temporary data folder, audits the samples twice (the second time without listing 1002), stores the
// sample templates, and photographs each view in Chromium.
//
//   npm run build && node scripts/serve-screenshots.mjs [--chromium /usr/bin/chromium]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "docs", "images");
const { values } = parseArgs({ options: { chromium: { type: "string", default: "/usr/bin/chromium" } } });
const load = (file) => import(pathToFileURL(path.join(ROOT, "dist", file)).href);
const { createServer } = await load("server/app.js");
const { loadCheckBase } = await load("server/checker.js");

const work = mkdtempSync(path.join(os.tmpdir(), "listing-audit-shots-"));
const base = await loadCheckBase();
if (!base.ok) throw new Error(JSON.stringify(base.errors));
const app = await createServer({ dataDir: work, base: base.value });
const origin = await app.listen({ host: "127.0.0.1", port: 0 });
const listings = path.join(ROOT, "samples", "listings.json");
const templates = path.join(ROOT, "samples", "templates", "shop-templates.yaml");
const fewer = path.join(work, "listings.json");
const data = JSON.parse(readFileSync(listings, "utf8"));
data.listings = data.listings.filter((l) => l.id !== "1002");
writeFileSync(fewer, JSON.stringify(data));

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(30_000);
  const shot = (name) => page.screenshot({ path: path.join(OUT, `serve-${name}.png`) });
  await page.goto(`${origin}/templates`);
  await page.locator("input[name=name]").fill("禾木生活馆运费模板");
  await page.locator("textarea[name=text]").fill(readFileSync(templates, "utf8"));
  await page.getByRole("button", { name: "保存" }).click();
  await page.locator(".template-list button.link").first().click();
  await page.locator("table.fees").first().waitFor();
  await shot("templates");

  await page.goto(`${origin}/`);
  await page.locator("select[name=templateSource]").selectOption({ label: "禾木生活馆运费模板" });
  await page.locator("input[name=templateId]").fill("T-REMOTE");
  await page.locator("input[name=price]").fill("39.9");
  await page.locator("input[name=title]").fill("新疆若羌灰枣 全国包邮 500g*2袋");
  await page.locator("article.finding").first().waitFor();
  await shot("check");

  for (const file of [listings, fewer]) {
    await page.goto(`${origin}/shop`);
    await page.locator("input[name=shop]").fill("禾木生活馆");
    await page.locator("input[name=exports]").setInputFiles(file);
    await page.locator("input[name=templates]").setInputFiles(templates);
    await page.getByRole("button", { name: "开始自查" }).click();
    await page.waitForURL(/\/shop\/[0-9a-f]{16}$/);
    await page.locator("table.listings tbody tr").first().waitFor();
  }
  await page.locator("table.listings tbody button.link").first().click();
  await page.locator("tr.expanded article.finding").first().waitFor();
  await page.locator("section.results").evaluate((section) => section.scrollIntoView());
  await shot("shop");

  await page.goto(`${origin}/history`);
  await page.locator("figure.trend").waitFor();
  await page.getByRole("button", { name: "比较" }).click();
  await page.locator(".compare-fixed article.finding").first().waitFor();
  await shot("history");

  await page.goto(`${origin}/rules/shipping/claim-charged-region`);
  await page.locator("article.rule-page h3").first().waitFor();
  await shot("rules");
  console.log(`screenshots in ${path.relative(process.cwd(), OUT)}`);
} finally {
  await browser.close();
  await app.close();
  rmSync(work, { recursive: true, force: true });
}
