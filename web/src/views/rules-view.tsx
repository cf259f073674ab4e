import { useT } from "../i18n.js";
import { useRules } from "../rules.js";

/** Each rule with its title, description and severity in the app's language; findings link here by rule id. */
export function RulesView() {
  const { t } = useT();
  const rules = [...useRules().values()];
  return (
    <section class="panel" aria-label={t("navRules")}>
      {rules.map((rule) => (
        <article key={rule.id} id={rule.id} class="rule">
          <h2>{rule.title}</h2>
          <p>
            <code>{rule.id}</code> · {t("severity")}: {rule.severity === "off" ? "off" : t(rule.severity as "error")}
          </p>
          <p>{rule.description}</p>
        </article>
      ))}
    </section>
  );
}
