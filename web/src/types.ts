/** The API's shapes, as the web app reads them (the OpenAPI document is the reference). */
export type Severity = "error" | "warning" | "info";

export interface Finding {
  ruleId: string;
  severity: Severity;
  listingId: string;
  message: string;
  source: { file?: string; row?: number; line?: number };
  claim: { text: string; field: string; start: number; end: number; index?: number } | null;
  regions: { code: string; name: string; fee: number | null; quantity?: number | null }[];
  templateId: string | null;
  fix: string;
}

export interface StoredFinding extends Finding {
  id: number;
  status: "new" | "known";
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface RunSummary {
  id: string;
  shop: string;
  status: "queued" | "running" | "done" | "failed";
  queuePosition?: number;
  createdAt: string;
  /** The shop settings the run applied; null: none. */
  settings: ShopSettings | null;
  summary: { listings: number; findings: number; error: number; warning: number; info: number; problems: number };
  failure: string | null;
  files: { name: string; kind: string }[];
}

export interface ListingRow {
  seq: number;
  listingId: string;
  title: string;
  error: number;
  warning: number;
  info: number;
}

export interface Rule {
  id: string;
  title: string;
  description?: string;
  severity: string;
}

/** A shop's settings (`GET /api/v1/shops/{shop}/settings`); a key left out is not set. */
export interface ShopSettings {
  platform?: string;
  templateIds?: string[];
  rules?: Record<string, string>;
  remoteRegions?: string[];
  allow?: { listings?: string[]; urls?: string[]; phrases?: string[] };
}
