import type { z } from "zod";
import type { ClaimRef, FindingRegion, RuleSetting, Severity } from "../model.js";
import type { MessageData } from "./message-data.js";
import type { ListingFacts } from "./facts.js";

/**
 * What a rule declares about itself (ESLint/secretlint `meta`). Wording lives in rules/rules.yaml; a
 * platform's pack (rules/packs/) states only where the platform differs from `defaultSeverity` and the
 * defaults of the rule's options schema.
 */
export interface RuleMeta<M extends string = string> {
  /** Stable id, `category/kebab-name` (see docs/semantics.md#what-each-rule-decides). */
  id: string;
  /** The severity on every platform whose pack does not name the rule. */
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

/**
 * Everything a rule may look at. Rules are pure functions of this. What differs between platforms reaches
 * a rule through its options (a pack sets them), never as the platform's name.
 */
export interface RuleContext<O = unknown> {
  facts: ListingFacts;
  /** The rule's options: the defaults of its schema, with the platform pack's values over them. */
  options: O;
}

/** One check. `check` reports at most one finding per listing. */
export interface Rule<M extends string = string, S extends z.ZodType = z.ZodType> {
  meta: RuleMeta<M>;
  /** Validates the rule's options; every option has its default here (`.default(…)`), so `{}` parses. */
  options: S;
  check(context: RuleContext<z.output<S>>): RuleReport<M> | null;
}

/** Declares a rule with its types checked (the registry stores them widened). */
export function defineRule<M extends string, S extends z.ZodType>(rule: Rule<M, S>): Rule<M, S> {
  return rule;
}

/** A rule's setting on one platform: severity (or off) and its options, defaults applied. */
export interface RuleEntry {
  setting: RuleSetting;
  options: Readonly<Record<string, unknown>>;
}
