import { ColumnHeads } from "./column-heads.js";
import { useT } from "./i18n.js";
import { ruleHref, useRules } from "./rules.js";
import type { Finding } from "./types.js";

/** The words for the listing field a claim stands in. */
const FIELD_KEYS: Record<
  string,
  "fieldTitle" | "fieldSubtitle" | "fieldSku" | "fieldDescription" | "fieldMobileDescription"
> = {
  title: "fieldTitle",
  subtitle: "fieldSubtitle",
  sku: "fieldSku",
  description: "fieldDescription",
  mobileDescription: "fieldMobileDescription",
};

export function fieldName(field: string, t: ReturnType<typeof useT>["t"]): string {
  const key = FIELD_KEYS[field];
  return key === undefined ? field : t(key);
}

export function SeverityBadge({ severity }: { severity: Finding["severity"] }) {
  const { t } = useT();
  return <span class={`badge badge-${severity}`}>{t(severity)}</span>;
}

/** One finding with its evidence: the claim, the template rows and fees that contradict it, and the fix. */
export function FindingCard({ finding, actions }: { finding: Finding; actions?: preact.ComponentChildren }) {
  const { t } = useT();
  const rule = useRules().get(finding.ruleId);
  return (
    <article class={`finding finding-${finding.severity}`}>
      <header>
        <SeverityBadge severity={finding.severity} />
        <a class="rule-link" href={ruleHref(finding.ruleId)}>
          {rule?.title ?? finding.ruleId}
        </a>
      </header>
      <p class="message">{finding.message}</p>
      {finding.claim && (
        <p class="claim-line">
          {t("claim")}: <mark class="claim">{finding.claim.text}</mark>
          <span class="muted"> ({fieldName(finding.claim.field, t)})</span>
        </p>
      )}
      {finding.regions.length > 0 && (
        <table class="regions">
          <caption>
            {t("template")} {finding.templateId ?? ""}
          </caption>
          <ColumnHeads keys={["region", "fee", "quantity"]} />
          <tbody>
            {finding.regions.map((region) => (
              <tr key={region.code}>
                <td>{region.name}</td>
                <td>{region.fee === null ? "—" : `¥${region.fee}`}</td>
                <td>{region.quantity ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="fix">
        <strong>{t("fix")}:</strong> {finding.fix}
      </p>
      {actions}
    </article>
  );
}
