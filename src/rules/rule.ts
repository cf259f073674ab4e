import type { z } from "zod";
import type { ClaimRef, FindingRegion, Platform, Severity } from "../model.js";
import type { MessageData } from "./message-data.js";
import type { ListingFacts } from "./facts.js";

/** What a rule declares about itself (ESLint/secretlint `meta`). Wording lives in rules/rules.yaml. */
export interface RuleMeta<M extends string = string> {
  /** Stable id, `category/kebab-name` (contract §6). */
  id: string;
  defaultSeverity: Severity;
  /** Relative link to the rule's page. */
  docs: string;
  /**
   * Message ids and the data keys each one may interpolate; rules/rules.yaml must word every id in every
   * language, and may use only these keys.
   */
  messages: Readonly<Record<M, readonly string[]>>;
}

/** What a rule reports: plain data; the engine turns it into a Finding with wording from rules/rules.yaml. */
export interface RuleReport<M extends string = string> {
  messageId: M;
  data: MessageData;
  /** The most prominent claim (or statement) the finding is anchored on. */
  claim: ClaimRef | null;
  relatedClaims: ClaimRef[];
  /** Sorted by code by the engine. */
  regions: readonly FindingRegion[];
}

/** Everything a rule may look at. Rules are pure functions of this. */
export interface RuleContext<O = unknown> {
  facts: ListingFacts;
  platform: Platform;
  /** The rule's options after defaults (rules/rules.yaml < pack < config). */
  options: O;
}

/** One check. `check` reports at most one finding per listing. */
export interface Rule<M extends string = string, S extends z.ZodType = z.ZodType> {
  meta: RuleMeta<M>;
  /** Validates and defaults the rule's options. */
  options: S;
  check(context: RuleContext<z.output<S>>): RuleReport<M> | null;
}

/** Declares a rule with its types checked (the registry stores them widened). */
export function defineRule<M extends string, S extends z.ZodType>(rule: Rule<M, S>): Rule<M, S> {
  return rule;
}
