import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, type ApiError } from "../api.js";
import { FindingCard, fieldName } from "../finding-card.js";
import { PlatformOptions } from "../platforms.js";
import { LocatedErrors } from "../located-errors.js";
import { useT } from "../i18n.js";
import type { Finding } from "../types.js";

interface Mark {
  start: number;
  end: number;
  text: string;
}
interface FieldMarks {
  field: string;
  index?: number;
  text: string;
  claims: Mark[];
  disclosures: Mark[];
}
/** A finding's one-click text fix, as the server planned it with the `--fix` planner. */
interface FindingFix {
  edits: { field: string; index?: number; before: string; after: string }[];
  notes: string[];
  refused?: { reason: string; message: string };
}
interface CheckAnswer {
  findings: Finding[];
  fixes: FindingFix[];
  fields: FieldMarks[];
}
type Form = {
  title: string;
  subtitle: string;
  skus: string;
  description: string;
  price: string;
  platform: string;
  templateSource: string;
  templateText: string;
  templateId: string;
};
interface StoredTemplate {
  id: string;
  name: string;
  templateIds: string[];
}

/** Checks while the operator types, this long after the last key. */
const DEBOUNCE_MS = 300;

/** The SKU names the form sends, one per non-empty line (a SKU edit's index counts these). */
function skuNames(text: string): string[] {
  return text
    .split("\n")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/**
 * The form with a fix's edits applied, or undefined when a field no longer holds the text the fix was
 * planned on (the operator typed since: the next answer plans again).
 */
function withEdits(form: Form, edits: FindingFix["edits"]): Form | undefined {
  let next = form;
  for (const edit of edits) {
    if (edit.field === "sku") {
      const names = skuNames(next.skus);
      const index = edit.index ?? 0;
      if (names[index] !== edit.before) return undefined;
      names[index] = edit.after;
      next = { ...next, skus: names.join("\n") };
    } else if (edit.field === "title" || edit.field === "subtitle" || edit.field === "description") {
      if (next[edit.field] !== edit.before) return undefined;
      next = { ...next, [edit.field]: edit.after };
    } else return undefined;
  }
  return next;
}

/** A finding's one-click fix: a button that applies it, or why it cannot be fixed in the text. */
function FixAction({ fix, onApply }: { fix: FindingFix | undefined; onApply: (fix: FindingFix) => void }) {
  const { t } = useT();
  if (fix?.refused) return <p class="fix-refused">{t("fixRefused", { reason: fix.refused.message })}</p>;
  if (!fix || fix.edits.length === 0) return null;
  return (
    <div class="fix-action">
      <button type="button" onClick={() => onApply(fix)}>
        {t("oneClickFix")}
      </button>
      {fix.notes.map((note) => (
        <p class="muted" key={note}>
          {note}
        </p>
      ))}
    </div>
  );
}

/** A field's visible text with its claims and disclosures marked; text nodes only, so listing text stays inert. */
function MarkedText({ field }: { field: FieldMarks }) {
  const marks = [
    ...field.claims.map((m) => ({ ...m, kind: "claim" as const })),
    ...field.disclosures.map((m) => ({ ...m, kind: "disclosure" as const })),
  ].sort((a, b) => a.start - b.start);
  const parts: preact.ComponentChildren[] = [];
  let at = 0;
  for (const mark of marks) {
    if (mark.start < at) continue;
    parts.push(field.text.slice(at, mark.start));
    parts.push(
      <mark class={mark.kind} key={`${mark.kind}-${mark.start}`}>
        {field.text.slice(mark.start, mark.end)}
      </mark>,
    );
    at = mark.end;
  }
  parts.push(field.text.slice(at));
  return <span class="marked">{parts}</span>;
}

export function CheckView() {
  const { t, lang } = useT();
  const [form, setForm] = useState<Form>({
    title: "",
    subtitle: "",
    skus: "",
    description: "",
    price: "",
    platform: "taobao",
    templateSource: "",
    templateText: "",
    templateId: "",
  });
  const [stored, setStored] = useState<StoredTemplate[]>([]);
  const [answer, setAnswer] = useState<CheckAnswer | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);
  /** Set by the one-click fix: the corrected text is checked at once, not after the typing pause. */
  const immediate = useRef(false);

  useEffect(() => {
    api<{ templates: StoredTemplate[] }>("GET", "/api/v1/templates").then(
      (body) => setStored(body.templates),
      () => setStored([]),
    );
  }, []);

  const request = useMemo(() => {
    if (form.title.trim() === "") return undefined;
    const skus = skuNames(form.skus).map((name) => ({ name }));
    const price = Number(form.price);
    const listing = {
      id: "draft",
      title: form.title,
      ...(form.subtitle ? { subtitle: form.subtitle } : {}),
      ...(skus.length > 0 ? { skus } : {}),
      ...(form.description ? { description: form.description } : {}),
      ...(form.price !== "" && Number.isFinite(price) ? { price } : {}),
      ...(form.templateId ? { templateId: form.templateId } : {}),
    };
    const templates =
      form.templateSource === "paste"
        ? form.templateText.trim() === ""
          ? {}
          : { templateText: form.templateText }
        : form.templateSource
          ? { templateId: form.templateSource }
          : {};
    return { listing, ...templates, platform: form.platform, lang };
  }, [form, lang]);

  useEffect(() => {
    if (!request) {
      setAnswer(undefined);
      setError(undefined);
      return undefined;
    }
    const ticket = ++latest.current;
    const delay = immediate.current ? 0 : DEBOUNCE_MS;
    immediate.current = false;
    const timer = setTimeout(() => {
      setBusy(true);
      api<CheckAnswer>("POST", "/api/v1/check", request).then(
        (body) => {
          if (ticket !== latest.current) return;
          setAnswer(body);
          setError(undefined);
          setBusy(false);
        },
        (failure: ApiError) => {
          if (ticket !== latest.current) return;
          setError(failure);
          setBusy(false);
        },
      );
    }, delay);
    return () => clearTimeout(timer);
  }, [request]);

  const set = (key: keyof typeof form) => (event: Event) =>
    setForm({ ...form, [key]: (event.currentTarget as HTMLInputElement).value });
  const chosen = stored.find((s) => s.id === form.templateSource);
  const applyFix = (fix: FindingFix) => {
    const next = withEdits(form, fix.edits);
    if (!next) return;
    immediate.current = true;
    setForm(next);
  };

  return (
    <div class="two-columns">
      <form class="panel" onSubmit={(e) => e.preventDefault()} aria-label={t("navCheck")}>
        <label>
          {t("title")}
          <input name="title" value={form.title} onInput={set("title")} maxLength={200} />
        </label>
        <label>
          {t("subtitle")}
          <input name="subtitle" value={form.subtitle} onInput={set("subtitle")} />
        </label>
        <label>
          {t("skus")}
          <textarea name="skus" rows={3} value={form.skus} onInput={set("skus")} />
        </label>
        <label>
          {t("description")}
          <textarea name="description" rows={5} value={form.description} onInput={set("description")} />
        </label>
        <div class="row">
          <label>
            {t("price")}
            <input name="price" inputMode="decimal" value={form.price} onInput={set("price")} />
          </label>
          <label>
            {t("platform")}
            <select name="platform" value={form.platform} onChange={set("platform")}>
              <PlatformOptions />
            </select>
          </label>
        </div>
        <label>
          {t("template")}
          <select name="templateSource" value={form.templateSource} onChange={set("templateSource")}>
            <option value="">{t("templateNone")}</option>
            {stored.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            <option value="paste">{t("templatePasted")}</option>
          </select>
        </label>
        {form.templateSource === "paste" && (
          <label>
            {t("templateText")}
            <textarea name="templateText" rows={6} value={form.templateText} onInput={set("templateText")} />
          </label>
        )}
        {form.templateSource !== "" && (
          <label>
            {t("templateId")}
            <input name="templateId" list="template-ids" value={form.templateId} onInput={set("templateId")} />
            <datalist id="template-ids">
              {(chosen?.templateIds ?? []).map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
          </label>
        )}
      </form>
      <section class="panel" aria-live="polite" aria-label={t("findings")}>
        <h2>
          {t("findings")} {busy && <span class="muted">{t("checking")}</span>}
        </h2>
        {error && <LocatedErrors error={error} />}
        {answer && answer.fields.length > 0 && (
          <div class="marks">
            <h3>{t("marks")}</h3>
            <ul>
              {answer.fields.map((field) => (
                <li key={`${field.field}-${field.index ?? 0}`}>
                  <span class="muted">{fieldName(field.field, t)}: </span>
                  <MarkedText field={field} />
                </li>
              ))}
            </ul>
          </div>
        )}
        {answer && answer.findings.length === 0 && !error && <p class="ok">{t("noFindings")}</p>}
        {answer?.findings.map((finding, at) => (
          <FindingCard
            key={`${finding.ruleId}-${finding.claim?.start ?? -1}`}
            finding={finding}
            actions={<FixAction fix={answer.fixes[at]} onApply={applyFix} />}
          />
        ))}
      </section>
    </div>
  );
}
