import { ColumnHeads } from "../column-heads.js";
import { useEffect, useState } from "preact/hooks";
import { api, type ApiError } from "../api.js";
import { useT } from "../i18n.js";
import { LocatedErrors } from "../located-errors.js";

interface StoredTemplate {
  id: string;
  name: string;
  text: string;
  templateIds: string[];
}
interface FeeTable {
  templates: {
    id: string;
    name: string;
    regions: { code: string; name: string; status: string; fee: number | null }[];
  }[];
}

/** Stored template documents: add one (validated, with located errors), delete, and see what each province pays. */
export function TemplatesView() {
  const { t } = useT();
  const [stored, setStored] = useState<StoredTemplate[]>([]);
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | undefined>();
  const [fees, setFees] = useState<FeeTable | undefined>();

  const reload = () =>
    api<{ templates: StoredTemplate[] }>("GET", "/api/v1/templates").then((b) => setStored(b.templates));
  useEffect(() => {
    void reload();
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await api("POST", "/api/v1/templates", { name, text });
      setError(undefined);
      setName("");
      setText("");
      await reload();
    } catch (failure) {
      setError(failure as ApiError);
    }
  };
  const feeLabel = (status: string, fee: number | null) =>
    status === "charged"
      ? `¥${fee}`
      : t(status === "free" ? "free" : status === "undeliverable" ? "undeliverable" : "unknown");

  return (
    <div class="two-columns">
      <section class="panel" aria-label={t("storedTemplates")}>
        <h2>{t("storedTemplates")}</h2>
        <ul class="template-list">
          {stored.map((doc) => (
            <li key={doc.id}>
              <button
                type="button"
                class="link"
                onClick={() => void api<FeeTable>("GET", `/api/v1/templates/${doc.id}/fees`).then(setFees)}
              >
                {doc.name}
              </button>{" "}
              <span class="muted">{doc.templateIds.join("、")}</span>{" "}
              <button type="button" onClick={() => void api("DELETE", `/api/v1/templates/${doc.id}`).then(reload)}>
                {t("remove")}
              </button>
            </li>
          ))}
        </ul>
        {fees?.templates.map((template) => (
          <table key={template.id} class="fees">
            <caption>
              {t("feeTable")} · {template.id} {template.name}
            </caption>
            <ColumnHeads keys={["region", "fee"]} />
            <tbody>
              {template.regions.map((region) => (
                <tr key={region.code} class={`fee-${region.status}`}>
                  <td>{region.name}</td>
                  <td>{feeLabel(region.status, region.fee)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </section>
      <form class="panel" onSubmit={save} aria-label={t("newTemplate")}>
        <h2>{t("newTemplate")}</h2>
        <label>
          {t("name")}
          <input name="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t("templateText")}
          <textarea name="text" rows={14} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit">{t("save")}</button>
        {error && <LocatedErrors error={error} />}
      </form>
    </div>
  );
}
