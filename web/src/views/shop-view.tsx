import { useEffect, useState } from "preact/hooks";
import { ApiError, readEvents, upload } from "../api.js";
import { useT } from "../i18n.js";
import { LocatedErrors } from "../located-errors.js";
import { navigate } from "../router.js";
import { RunResults } from "./run-results.js";
import { ShopSettingsPanel } from "./shop-settings.js";

/** A drop zone that is also a file button (keyboard: Tab to it, Enter or Space opens the file chooser). */
function DropZone(props: {
  label: string;
  accept: string;
  files: File[];
  onFiles: (files: File[]) => void;
  name: string;
}) {
  const { t } = useT();
  const [over, setOver] = useState(false);
  const id = `drop-${props.name}`;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is the mouse shortcut; the file input inside is the keyboard path
    <div
      class={`drop${over ? " over" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        props.onFiles([...props.files, ...Array.from(e.dataTransfer?.files ?? [])]);
      }}
    >
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type="file"
        multiple
        accept={props.accept}
        onChange={(e) => props.onFiles([...props.files, ...Array.from(e.currentTarget.files ?? [])])}
      />
      <p class="muted">{t("dropHere")}</p>
      {props.files.length > 0 && (
        <ul>
          {props.files.map((file, i) => (
            <li key={i}>{file.name}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ShopView({ runId }: { runId?: string }) {
  const { t, lang } = useT();
  const [shop, setShop] = useState(localStorage.getItem("listing-audit-shop") ?? "");
  const [exports, setExports] = useState<File[]>([]);
  const [templates, setTemplates] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState<number | undefined>();
  const [audited, setAudited] = useState<number | undefined>();
  const [queuePosition, setQueuePosition] = useState<number | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [finished, setFinished] = useState(0);

  const start = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    localStorage.setItem("listing-audit-shop", shop);
    const form = new FormData();
    form.set("shop", shop);
    form.set("lang", lang);
    for (const file of exports) form.append("exports", file, file.name);
    for (const file of templates) form.append("templates", file, file.name);
    try {
      setUploaded(0);
      const { id } = await upload<{ id: string }>("/api/v1/runs", form, setUploaded);
      setAudited(0);
      await readEvents(`/api/v1/runs/${id}/events`, (data) => {
        const event = data as { type: string; listings?: number; position?: number };
        if (event.type === "queued") setQueuePosition(event.position);
        if (event.type === "progress") {
          setQueuePosition(undefined);
          setAudited(event.listings ?? 0);
        }
      });
      setUploaded(undefined);
      setAudited(undefined);
      setQueuePosition(undefined);
      setExports([]);
      setTemplates([]);
      setFinished(finished + 1);
      navigate(`/shop/${id}`);
    } catch (failure) {
      setUploaded(undefined);
      setAudited(undefined);
      setQueuePosition(undefined);
      setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure), []));
    }
  };

  useEffect(() => setError(undefined), [runId]);
  const busy = uploaded !== undefined;
  const progressText =
    queuePosition !== undefined
      ? t("queued", { n: queuePosition })
      : audited === undefined
        ? `${t("uploading")} ${Math.round((uploaded ?? 0) * 100)}%`
        : t("auditing", { n: audited });
  return (
    <div>
      <form class="panel upload" onSubmit={start} aria-label={t("navShop")}>
        <label>
          {t("shop")}
          <input name="shop" required maxLength={100} value={shop} onInput={(e) => setShop(e.currentTarget.value)} />
        </label>
        <DropZone
          name="exports"
          label={t("exports")}
          accept=".csv,.tsv,.txt,.json,.jsonl,.yaml,.yml,.xlsx,.xls,.ods,.html,.htm"
          files={exports}
          onFiles={setExports}
        />
        <DropZone
          name="templates"
          label={t("templateFiles")}
          accept=".yaml,.yml,.json"
          files={templates}
          onFiles={setTemplates}
        />
        <button type="submit" disabled={busy || exports.length === 0 || shop.trim() === ""}>
          {t("startAudit")}
        </button>
        {busy && (
          <div class="progress">
            <progress
              aria-label={progressText}
              {...(audited === undefined && queuePosition === undefined ? { value: uploaded, max: 1 } : {})}
            />
            <span>{progressText}</span>
          </div>
        )}
        {error && <LocatedErrors error={error} />}
      </form>
      <ShopSettingsPanel shop={shop.trim()} />
      {runId && <RunResults key={`${runId}-${finished}`} runId={runId} />}
    </div>
  );
}
