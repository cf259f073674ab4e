import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { useT } from "../i18n.js";
import { LocatedErrors } from "../located-errors.js";
import { PlatformOptions } from "../platforms.js";
import { useRules } from "../rules.js";
import type { ShopSettings } from "../types.js";

const RULE_SETTINGS = ["error", "warning", "info", "off"] as const;

/** The form's fields: text areas hold one entry per line. */
/** The settings written one per line: remote regions, allowed listing ids and allowed phrases. */
const TEXT_AREAS = [
  { key: "remoteRegions", name: "settings-remote-regions", rows: 3 },
  { key: "allowListings", name: "settings-allow-listings", rows: 2 },
  { key: "allowPhrases", name: "settings-allow-phrases", rows: 2 },
] as const;

interface Form {
  platform: string;
  templateIds: string[];
  rules: Record<string, string>;
  remoteRegions: string;
  allowListings: string;
  allowPhrases: string;
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

function toForm(settings: ShopSettings): Form {
  return {
    platform: settings.platform ?? "",
    templateIds: settings.templateIds ?? [],
    rules: settings.rules ?? {},
    remoteRegions: (settings.remoteRegions ?? []).join("\n"),
    allowListings: (settings.allow?.listings ?? []).join("\n"),
    allowPhrases: (settings.allow?.phrases ?? []).join("\n"),
  };
}

/** Only what is set: an empty field leaves the key out, so the built-in default applies. */
function toSettings(form: Form, kept: ShopSettings): ShopSettings {
  const remoteRegions = lines(form.remoteRegions);
  const listings = lines(form.allowListings);
  const phrases = lines(form.allowPhrases);
  // URL globs have no field here; those set through the API are kept.
  const urls = kept.allow?.urls;
  const allow = {
    ...(listings.length > 0 ? { listings } : {}),
    ...(urls ? { urls } : {}),
    ...(phrases.length > 0 ? { phrases } : {}),
  };
  return {
    ...(form.platform ? { platform: form.platform } : {}),
    ...(form.templateIds.length > 0 ? { templateIds: form.templateIds } : {}),
    ...(Object.keys(form.rules).length > 0 ? { rules: form.rules } : {}),
    ...(remoteRegions.length > 0 ? { remoteRegions } : {}),
    ...(Object.keys(allow).length > 0 ? { allow } : {}),
  };
}

/**
 * A shop's settings, applied to each of its runs unless the upload says otherwise: its platform, its
 * stored templates, rule severities, remote regions and what is known to be fine.
 */
export function ShopSettingsPanel({ shop }: { shop: string }) {
  const { t } = useT();
  const rules = useRules();
  const [stored, setStored] = useState<ShopSettings>({});
  const [form, setForm] = useState<Form>(toForm({}));
  const [templates, setTemplates] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const url = `/api/v1/shops/${encodeURIComponent(shop)}/settings`;

  useEffect(() => {
    api<{ templates: { id: string; name: string }[] }>("GET", "/api/v1/templates").then(
      (body) => setTemplates(body.templates),
      () => setTemplates([]),
    );
  }, []);
  useEffect(() => {
    setSaved(false);
    setError(undefined);
    if (shop === "") return;
    const aborted = new AbortController();
    api<{ settings: ShopSettings }>("GET", url, undefined, aborted.signal).then(
      (body) => {
        setStored(body.settings);
        setForm(toForm(body.settings));
      },
      (failure: unknown) => {
        if (failure instanceof ApiError) setError(failure);
      },
    );
    return () => aborted.abort();
  }, [shop]);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    try {
      const body = await api<{ settings: ShopSettings }>("PUT", url, toSettings(form, stored));
      setStored(body.settings);
      setForm(toForm(body.settings));
      setError(undefined);
      setSaved(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure), []));
    }
  };
  const setText = (key: "platform" | "remoteRegions" | "allowListings" | "allowPhrases") => (e: Event) => {
    setSaved(false);
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  };
  const toggleTemplate = (id: string, on: boolean) => {
    setSaved(false);
    setForm({ ...form, templateIds: on ? [...form.templateIds, id] : form.templateIds.filter((x) => x !== id) });
  };
  const setRule = (id: string, value: string) => {
    setSaved(false);
    const { [id]: _, ...others } = form.rules;
    setForm({ ...form, rules: value === "" ? others : { ...others, [id]: value } });
  };

  if (shop === "") return null;
  return (
    <details class="panel shop-settings">
      <summary>{t("shopSettingsOf", { shop })}</summary>
      <p class="muted">{t("shopSettingsHint")}</p>
      <form onSubmit={save} aria-label={t("shopSettingsOf", { shop })}>
        <label>
          {t("platform")}
          <select name="settings-platform" value={form.platform} onChange={setText("platform")}>
            <option value="">{t("notSet")}</option>
            <PlatformOptions />
          </select>
        </label>
        <fieldset>
          <legend>{t("defaultTemplates")}</legend>
          {templates.length === 0 && <p class="muted">{t("noStoredTemplates")}</p>}
          {templates.map((doc) => (
            <label key={doc.id} class="inline">
              <input
                type="checkbox"
                name="settings-template"
                value={doc.id}
                checked={form.templateIds.includes(doc.id)}
                onChange={(e) => toggleTemplate(doc.id, e.currentTarget.checked)}
              />
              {doc.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("ruleSeverities")}</legend>
          <table class="rule-settings">
            <tbody>
              {[...rules.values()].map((rule) => (
                <tr key={rule.id}>
                  <th scope="row">
                    <label for={`rule-${rule.id}`}>{rule.title}</label> <code class="muted">{rule.id}</code>
                  </th>
                  <td>
                    <select
                      id={`rule-${rule.id}`}
                      value={form.rules[rule.id] ?? ""}
                      onChange={(e) => setRule(rule.id, e.currentTarget.value)}
                    >
                      <option value="">{t("ruleDefault")}</option>
                      {RULE_SETTINGS.map((setting) => (
                        <option key={setting} value={setting}>
                          {t(setting === "off" ? "ruleOff" : setting)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        {TEXT_AREAS.map(({ key, name, rows }) => (
          <label key={key}>
            {t(key)}
            <textarea name={name} rows={rows} value={form[key]} onInput={setText(key)} />
          </label>
        ))}
        <button type="submit">{t("saveSettings")}</button>
        <p role="status" class="muted">
          {saved ? t("settingsSaved") : ""}
        </p>
        {error && <LocatedErrors error={error} />}
      </form>
    </details>
  );
}
