import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { captureToken } from "./api.js";
import { LangContext, translator, type Lang, type TextKey } from "./i18n.js";
import { interceptLinks, usePath } from "./router.js";
import { RulesContext, ruleIdOf, useRuleTable } from "./rules.js";
import { CheckView } from "./views/check-view.js";
import { HistoryView } from "./views/history-view.js";
import { RulesView } from "./views/rules-view.js";
import { ShopView } from "./views/shop-view.js";
import { TemplatesView } from "./views/templates-view.js";

const LANG_KEY = "listing-audit-lang";
const VIEWS: readonly [path: string, key: TextKey][] = [
  ["/", "navCheck"],
  ["/shop", "navShop"],
  ["/history", "navHistory"],
  ["/templates", "navTemplates"],
  ["/rules", "navRules"],
];

function App() {
  const [lang, setLang] = useState<Lang>(localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh");
  const path = usePath();
  const rules = useRuleTable(lang);
  const t = translator(lang);
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("appName");
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);
  const section = `/${path.split("/")[1] ?? ""}`;
  const runId = section === "/shop" ? path.split("/")[2] : undefined;
  const ruleId = ruleIdOf(path);
  return (
    <LangContext.Provider value={{ lang, t }}>
      <RulesContext.Provider value={rules}>
        <header class="top">
          <h1>{t("appName")}</h1>
          <nav aria-label={t("appName")}>
            {VIEWS.map(([href, key]) => (
              <a key={href} href={href} aria-current={section === href ? "page" : undefined}>
                {t(key)}
              </a>
            ))}
          </nav>
          <button type="button" class="lang" onClick={() => setLang(lang === "zh" ? "en" : "zh")}>
            {t("switchLang")}
          </button>
        </header>
        <main>
          {section === "/" && <CheckView />}
          {section === "/shop" && <ShopView {...(runId ? { runId } : {})} />}
          {section === "/history" && <HistoryView />}
          {section === "/templates" && <TemplatesView />}
          {section === "/rules" && <RulesView {...(ruleId ? { ruleId } : {})} />}
        </main>
      </RulesContext.Provider>
    </LangContext.Provider>
  );
}

captureToken();
document.addEventListener("click", interceptLinks);
render(<App />, document.getElementById("app") as HTMLElement);
