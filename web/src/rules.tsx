import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { api } from "./api.js";
import type { Lang } from "./i18n.js";
import type { Rule } from "./types.js";

/** The rules with their titles in the app's language, loaded once per language. */
export const RulesContext = createContext<ReadonlyMap<string, Rule>>(new Map());

export function useRules(): ReadonlyMap<string, Rule> {
  return useContext(RulesContext);
}

export function useRuleTable(lang: Lang): ReadonlyMap<string, Rule> {
  const [rules, setRules] = useState<ReadonlyMap<string, Rule>>(new Map());
  useEffect(() => {
    api<{ rules: Rule[] }>("GET", `/api/v1/rules?lang=${lang}`).then(
      (body) => setRules(new Map(body.rules.map((rule) => [rule.id, rule]))),
      () => setRules(new Map()),
    );
  }, [lang]);
  return rules;
}

/** Where a rule's page is in the app: /rules/shipping/claim-charged-region (the server's appRulePath). */
export function ruleHref(ruleId: string): string {
  return `/rules/${ruleId.split("/").map(encodeURIComponent).join("/")}`;
}

/** The rule a path of the app names, or undefined for the list at /rules. */
export function ruleIdOf(path: string): string | undefined {
  const rest = path.slice("/rules/".length);
  if (!path.startsWith("/rules/") || rest === "") return undefined;
  try {
    return rest.split("/").map(decodeURIComponent).join("/");
  } catch {
    // A malformed escape in a typed address: the server answers it as an unknown rule.
    return rest;
  }
}
