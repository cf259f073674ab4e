import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { useT } from "../i18n.js";
import { LocatedErrors } from "../located-errors.js";
import { ruleHref, useRules } from "../rules.js";

interface RulePage {
  id: string;
  html: string;
}

/**
 * The rules: at /rules each rule with its title, severity and description, linking its page; at
 * /rules/<rule id> the rule's full page in the app's language. Findings link to the page.
 */
export function RulesView({ ruleId }: { ruleId?: string }) {
  const rules = useRules();
  useEffect(() => {
    // Links of earlier versions, /rules#<rule id>, open the rule's own page.
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (ruleId === undefined && rules.has(wanted)) {
      history.replaceState(null, "", ruleHref(wanted));
      dispatchEvent(new PopStateEvent("popstate"));
    }
  }, [ruleId, rules]);
  return ruleId === undefined ? <RuleList /> : <RulePageView ruleId={ruleId} />;
}

function RuleList() {
  const { t } = useT();
  return (
    <section class="panel" aria-label={t("navRules")}>
      {[...useRules().values()].map((rule) => (
        <article key={rule.id} class="rule">
          <h2>
            <a href={ruleHref(rule.id)}>{rule.title}</a>
          </h2>
          <p>
            <code>{rule.id}</code> · {t("severity")}: {rule.severity === "off" ? "off" : t(rule.severity as "error")}
          </p>
          <p>{rule.description}</p>
        </article>
      ))}
    </section>
  );
}

function RulePageView({ ruleId }: { ruleId: string }) {
  const { lang, t } = useT();
  const [page, setPage] = useState<RulePage | ApiError | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    setPage(undefined);
    api<RulePage>(
      "GET",
      `/api/v1/rules/${encodeURIComponent(ruleId)}/page?lang=${lang}`,
      undefined,
      controller.signal,
    ).then(setPage, (error: unknown) => {
      if (!controller.signal.aborted) setPage(error instanceof ApiError ? error : new ApiError(0, String(error), []));
    });
    return () => controller.abort();
  }, [ruleId, lang]);
  useEffect(() => scrollTo(0, 0), [ruleId]);
  const title = useRules().get(ruleId)?.title ?? ruleId;
  return (
    <section class="panel" aria-label={title}>
      <p>
        <a href="/rules">← {t("allRules")}</a>
      </p>
      {page instanceof ApiError && <LocatedErrors error={page} />}
      {page === undefined && <p aria-busy="true">…</p>}
      {page !== undefined && !(page instanceof ApiError) && (
        // The server renders the page from docs/rules with raw HTML disabled (src/server/rule-pages.ts).
        <article id={page.id} class="rule-page" dangerouslySetInnerHTML={{ __html: page.html }} />
      )}
    </section>
  );
}
