import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { browserMissingFor, launchChromium } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../src/server/app.js";
import { PAYLOADS } from "./fixtures/xss-payloads.js";
import { REMOTE_TEMPLATE, REMOTE_TEMPLATE_TEXT, startServe, type ServeHarness } from "./helpers/serve-harness.js";

const browserMissing = browserMissingFor("serve e2e");
if (!existsSync(path.join(WEB_ROOT, "index.html")))
  throw new Error("serve e2e: dist/web is missing: `npm run build` builds the web app");

const SAMPLES = path.resolve(import.meta.dirname, "..", "samples");
const DOCS_RULES = path.resolve(import.meta.dirname, "..", "docs", "rules");
const LISTINGS = path.join(SAMPLES, "listings.json");
const TEMPLATES = path.join(SAMPLES, "templates", "shop-templates.yaml");
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TIMEOUT = 60_000;

describe.skipIf(browserMissing)("the web workbench in Chromium", () => {
  let serve: ServeHarness;
  let browser: Browser;
  /** Console errors, page errors and dialogs of every page opened: each test ends with none. */
  const trouble: string[] = [];

  beforeAll(async () => {
    serve = await startServe({ webRoot: WEB_ROOT });
    browser = await launchChromium();
  }, TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  /** Types a 全国包邮 title against a pasted template that charges 新疆 and 西藏: its finding's locator. */
  async function typeChargedListing(page: Page) {
    await page.locator("select[name=templateSource]").selectOption("paste");
    await page.getByLabel("模板内容（YAML 或 JSON）").fill(REMOTE_TEMPLATE_TEXT);
    await page.getByLabel("商品使用的模板 ID").fill("T1");
    await page.getByLabel("标题").fill("全国包邮 保温杯");
    return page.locator("article.finding", { hasText: "包邮宣称与运费模板不符" });
  }

  async function open(urlPath: string, width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.on("console", (m) => {
      if (m.type() === "error") trouble.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => trouble.push(`page: ${e.message}`));
    page.on("dialog", (d) => {
      trouble.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${serve.origin}${urlPath}`);
    await page.locator("header.top h1").waitFor();
    return page;
  }

  /** axe-core in the page (evaluated through the debugging protocol, which the CSP does not govern). */
  /** Closes the page; no page may have logged a console error, a page error or a dialog. */
  async function closeWithoutTrouble(page: Page): Promise<void> {
    await page.close();
    expect(trouble).toEqual([]);
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is a global the evaluated source defines
      const page = globalThis as any;
      const result = await page.axe.run(page.document, { resultTypes: ["violations"] });
      return result.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => n.target.join(" ")),
      }));
    });
    return violations
      .filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
      .map((v: { id: string; targets: string[] }) => `${v.id}: ${v.targets.join(", ")}`);
  }

  async function uploadSamples(page: Page, shop: string, listings = LISTINGS): Promise<void> {
    await page.goto(`${serve.origin}/shop`);
    await page.getByLabel("店铺名称").fill(shop);
    await page.locator("input[name=exports]").setInputFiles(listings);
    await page.locator("input[name=templates]").setInputFiles(TEMPLATES);
    await page.getByRole("button", { name: "开始自查" }).click();
    await page.waitForURL(/\/shop\/[0-9a-f]{16}$/);
    await page.locator("table.listings tbody tr").first().waitFor();
  }

  it(
    "typing a listing and seeing its finding appear and disappear after the one-click fix",
    async () => {
      const page = await open("/");
      const finding = await typeChargedListing(page);
      await finding.waitFor();
      // Keyboard only: the fix button is reached and pressed like any other control.
      await finding.getByRole("button", { name: "一键修正" }).focus();
      await page.keyboard.press("Enter");
      await finding.waitFor({ state: "detached" });
      expect(await page.getByLabel("标题").inputValue()).toBe("全国包邮 保温杯");
      expect(await page.getByLabel("宝贝卖点").inputValue()).toMatch(/新疆.*西藏|西藏.*新疆/);
      expect(await page.locator(".marks mark.disclosure").count()).toBeGreaterThan(0);
      // A fix no text can make shows its reason instead of a button, in the language chosen.
      await page.getByRole("button", { name: "English" }).click();
      await page.getByLabel("Template text (YAML or JSON)").fill(
        JSON.stringify({
          templates: [{ ...REMOTE_TEMPLATE.templates[0], default: { first: 1, firstFee: 8, next: 1, nextFee: 2 } }],
        }),
      );
      await page.getByLabel("Title").fill("全国包邮 保温杯");
      const refused = page.locator("article.finding", { hasText: "Free-shipping claim contradicted by the fees" });
      await refused.locator(".fix-refused", { hasText: "provinces pay" }).waitFor();
      expect(await refused.getByRole("button", { name: "Apply fix" }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole("button", { name: "中文" }).click();
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "pre-launch check: a finding appears as the operator types and goes once the text discloses the regions",
    async () => {
      const page = await open("/");
      expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("发布前检查");
      const finding = await typeChargedListing(page);
      await finding.waitFor();
      expect(await finding.locator("table.regions").textContent()).toContain("¥20");
      // The field a claim stands in is named in the app's language, never by its key.
      expect(await finding.locator(".claim-line").textContent()).toContain("(标题)");
      expect(await page.locator(".marks li").first().textContent()).toMatch(/^标题: /);
      expect(await page.locator("select[name=platform] option:checked").textContent()).toBe("淘宝");
      expect(await page.locator(".marks mark.claim").first().textContent()).toBe("全国包邮");
      await page.getByLabel("标题").fill("全国包邮（新疆西藏除外） 保温杯");
      await finding.waitFor({ state: "detached" });
      expect(await page.locator(".marks mark.disclosure").first().textContent()).toBe("新疆西藏除外");
      expect(await seriousViolations(page)).toEqual([]);
      // The English switch changes every word of the app, and the findings come back in English.
      await page.getByRole("button", { name: "English" }).click();
      expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("Pre-launch check");
      await page.getByLabel("Title").fill("全国包邮 保温杯");
      await page.locator("article.finding", { hasText: "Free-shipping claim contradicted by the fees" }).waitFor();
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement
              .lang,
        ),
      ).toBe("en");
      await page.getByRole("button", { name: "中文" }).click();
      expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("发布前检查");
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "rules: each rule's page in Chinese from docs/rules, English with the switch, reached from a finding's rule link",
    async () => {
      const zhPage = readFileSync(path.join(DOCS_RULES, "claim-charged-region.zh.md"), "utf8");
      const zhHeading = /^## (.+)$/m.exec(zhPage)?.[1] ?? "";
      expect(zhHeading).toBe("何时触发");
      const page = await open("/");
      const finding = await typeChargedListing(page);
      await finding.getByRole("link", { name: "包邮宣称与运费模板不符" }).click();
      await page.waitForURL(/\/rules\/shipping\/claim-charged-region$/);
      const article = page.locator("article.rule-page");
      await article.getByRole("heading", { name: zhHeading, level: 3 }).waitFor();
      expect(await article.locator("h2").textContent()).toBe("shipping/claim-charged-region");
      expect(await page.locator("nav a[aria-current=page]").textContent()).toBe("规则");
      // The page's own [English](…) line is left out: the app's switch changes the language.
      expect(await article.getByRole("link", { name: "English" }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole("button", { name: "English" }).click();
      await article.getByRole("heading", { name: "What fires", level: 3 }).waitFor();
      await page.getByRole("button", { name: "中文" }).click();
      await article.getByRole("heading", { name: zhHeading, level: 3 }).waitFor();
      // The list links every rule's page; a link of earlier versions, /rules#<rule id>, opens the page too.
      await page.getByRole("link", { name: "← 全部规则" }).click();
      await page.waitForURL(/\/rules$/);
      await page.getByRole("link", { name: "拒开发票或开票加价" }).click();
      await article.getByRole("heading", { name: "何时触发", level: 3 }).waitFor();
      expect(await article.locator("h2").textContent()).toBe("invoice/refusal");
      await page.goto(`${serve.origin}/rules#${encodeURIComponent("shipping/vague-exclusion")}`);
      await page.waitForURL(/\/rules\/shipping\/vague-exclusion$/);
      await article.getByRole("heading", { name: "如何修改", level: 3 }).waitFor();
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "shop audit: uploads the samples, shows listings worst first, filters by severity, rule and text, lists the passed",
    async () => {
      const page = await open("/shop");
      await uploadSamples(page, "禾木生活馆");
      // 20 listings with findings, worst first; the 13 others are under 通过的商品.
      expect(await page.locator("table.listings tbody tr").count()).toBe(20);
      const errors = await page.locator("table.listings tbody tr td:nth-child(3)").allTextContents();
      expect(errors.map(Number)).toEqual(errors.map(Number).toSorted((a, b) => b - a));
      await page.getByRole("tab", { name: "问题列表" }).click();
      const count = () => page.locator(".finding-list > div").count();
      await page.locator(".finding-list article").first().waitFor();
      expect(await count()).toBe(22);
      await page.getByLabel("级别").selectOption("error");
      await expect.poll(count, { timeout: 20_000 }).toBe(8);
      await page.getByLabel("级别").selectOption("");
      const ruleSelect = page.locator("select[name=rule]");
      expect(await ruleSelect.locator("option[value='invoice/refusal']").textContent()).toMatch(/发票/);
      await ruleSelect.selectOption("invoice/refusal");
      await expect.poll(count, { timeout: 20_000 }).toBe(2);
      await ruleSelect.selectOption("");
      await page.getByLabel("搜索").fill("1017");
      await expect.poll(count, { timeout: 20_000 }).toBe(2);
      await page.getByRole("tab", { name: "通过的商品" }).click();
      await expect.poll(() => page.locator("table.listings tbody tr").count(), { timeout: 20_000 }).toBe(13);
      // The corrected export: the uploaded file with the fixes made in it, in its own format.
      const saved = page.waitForEvent("download");
      await page.getByLabel("下载修正后的导出文件").selectOption("listings.json");
      const download = await saved;
      expect(download.suggestedFilename()).toBe("listings.fixed.json");
      const corrected = readFileSync(await download.path(), "utf8");
      expect(corrected).not.toBe(readFileSync(LISTINGS, "utf8"));
      expect(JSON.parse(corrected).listings).toHaveLength(33);
      expect(await seriousViolations(page)).toEqual([]);
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "shop settings: a rule turned off from the keyboard is off in the shop's next run, which names what it applied",
    async () => {
      const page = await open("/shop");
      await page.getByLabel("店铺名称").fill("设置店");
      const summary = page.locator("details.shop-settings summary");
      await summary.focus();
      await page.keyboard.press("Enter");
      const rule = page.getByLabel("拒开发票或开票加价");
      await rule.focus();
      await rule.selectOption("off");
      await page.getByRole("button", { name: "保存店铺设置" }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "已保存" }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      const stored = await serve.api("GET", `/api/v1/shops/${encodeURIComponent("设置店")}/settings`);
      expect(stored.body.settings).toEqual({ rules: { "invoice/refusal": "off" } });

      await uploadSamples(page, "设置店");
      expect(await page.locator(".results").textContent()).toContain(
        '本次使用的店铺设置： {"rules":{"invoice/refusal":"off"}}',
      );
      await page.getByRole("tab", { name: "问题列表" }).click();
      await page.locator(".finding-list article").first().waitFor();
      expect(await page.locator("select[name=rule] option[value='invoice/refusal']").count()).toBe(0);
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "history: two runs of a shop, compared, show what is new and what was fixed",
    async () => {
      const page = await open("/shop");
      await uploadSamples(page, "历史店");
      const changed = JSON.parse(readFileSync(LISTINGS, "utf8")) as { listings: { id: string }[] };
      changed.listings = changed.listings.filter((l) => l.id !== "1002");
      const file = path.join(serve.dataDir, "listings-without-1002.json");
      writeFileSync(file, JSON.stringify(changed));
      await uploadSamples(page, "历史店", file);
      await page.getByRole("link", { name: "历史" }).click();
      await page.getByLabel("店铺名称").fill("历史店");
      await page.getByRole("button", { name: "查看" }).click();
      await page.locator("figure.trend svg polyline").first().waitFor();
      await page.getByRole("button", { name: "比较" }).click();
      const fixed = page.locator(".compare-fixed article.finding");
      await fixed.first().waitFor();
      expect(await fixed.count()).toBe(1);
      expect(await page.locator(".compare-fixed .listing-ref").textContent()).toContain("1002");
      expect(await page.locator(".compare-new article.finding").count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "works from the keyboard: Tab reaches the views, Enter opens them and expands a listing",
    async () => {
      const page = await open("/shop");
      await uploadSamples(page, "键盘店");
      // A fresh load, so Tab starts from the top of the page.
      await page.goto(page.url());
      await page.locator("table.listings tbody tr").first().waitFor();
      let reached = "";
      for (let i = 0; i < 10 && reached !== "历史"; i++) {
        await page.keyboard.press("Tab");
        reached = (
          await page.evaluate(
            () =>
              (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document
                .activeElement?.textContent ?? "",
          )
        ).trim();
      }
      expect(reached).toBe("历史");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/history$/);
      await page.goBack();
      const first = page.locator("table.listings tbody button.link").first();
      await first.focus();
      await page.keyboard.press("Enter");
      expect(await first.getAttribute("aria-expanded")).toBe("true");
      await page.locator("tr.expanded article.finding").first().waitFor();
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "fits a 414 px screen in every view, with no serious accessibility violation",
    async () => {
      const page = await open("/", 414);
      for (const view of ["/", "/shop", "/history", "/templates", "/rules", "/rules/shipping/claim-charged-region"]) {
        await page.goto(`${serve.origin}${view}`);
        await page.locator("main").waitFor();
        if (view.startsWith("/rules/")) await page.locator("article.rule-page h3").first().waitFor();
        const overflow = await page.evaluate(() => {
          const { document, innerWidth } = globalThis as unknown as {
            document: { documentElement: { scrollWidth: number } };
            innerWidth: number;
          };
          return document.documentElement.scrollWidth - innerWidth;
        });
        expect(overflow, view).toBeLessThanOrEqual(0);
        expect(await seriousViolations(page), view).toEqual([]);
      }
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );

  it(
    "keeps hostile listing text inert in the shop view and the check view",
    async () => {
      const listings = PAYLOADS.map((payload, i) => ({
        id: `x${i}`,
        title: `全国包邮${payload}`,
        subtitle: payload,
        skus: [{ name: payload }],
        templateId: "T-REMOTE",
      }));
      const file = path.join(serve.dataDir, "hostile.json");
      // One record without a title: an input problem, shown with its (hostile) id as text.
      writeFileSync(file, JSON.stringify({ listings: [...listings, { id: PAYLOADS[1] }] }));
      const page = await open("/shop");
      await uploadSamples(page, "<b>店</b>", file);
      await page.locator("details.problems summary").click();
      expect(await page.locator("details.problems li").textContent()).toContain("listing/missing-title");
      for (const row of await page.locator("table.listings tbody button.link").all()) await row.click();
      await page.locator("tr.expanded article.finding").first().waitFor();
      await page
        .getByLabel("标题")
        .first()
        .waitFor({ state: "detached" })
        .catch(() => undefined);
      expect(
        await page.locator("main img, main svg[onload], main iframe, main script, main base, main meta").count(),
      ).toBe(0);
      expect(await page.getByText('"><img src=x onerror=alert(1)>', { exact: false }).count()).toBeGreaterThan(0);
      await page.goto(`${serve.origin}/`);
      await page.getByLabel("标题").fill(`全国包邮${PAYLOADS.join(" ")}`);
      await page.locator(".marks mark.claim").first().waitFor();
      expect(await page.locator("main img, main iframe, main script").count()).toBe(0);
      await closeWithoutTrouble(page);
    },
    TIMEOUT,
  );
});
