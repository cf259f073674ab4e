import { ColumnHeads } from "../column-heads.js";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { FindingCard } from "../finding-card.js";
import { useT } from "../i18n.js";
import type { RunSummary, StoredFinding } from "../types.js";

interface Comparison {
  new: StoredFinding[];
  fixed: StoredFinding[];
  counts: { new: number; fixed: number; unchanged: number };
}

const SERIES = ["error", "warning", "info"] as const;

/** Errors, warnings and info of each run as three lines; an SVG drawn from numbers, no script inside. */
function TrendChart({ runs }: { runs: RunSummary[] }) {
  const { t } = useT();
  const width = 600;
  const height = 160;
  const max = Math.max(1, ...runs.flatMap((r) => [r.summary.error, r.summary.warning, r.summary.info]));
  const x = (i: number) => (runs.length === 1 ? width / 2 : 20 + (i * (width - 40)) / (runs.length - 1));
  const y = (n: number) => height - 20 - (n * (height - 40)) / max;
  return (
    <figure class="trend">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t("trend")}>
        {SERIES.map((key) => (
          <g key={key} class={`series-${key}`}>
            <polyline points={runs.map((r, i) => `${x(i)},${y(r.summary[key])}`).join(" ")} />
            {runs.map((r, i) => (
              <circle key={r.id} cx={x(i)} cy={y(r.summary[key])} r="3">
                <title>{`${t(key)} ${r.summary[key]}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        {SERIES.map((key) => (
          <span key={key} class={`legend legend-${key}`}>
            {t(key)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** The words for a run's status in the runs table. */
const RUN_STATUS_KEYS = {
  done: "runDone",
  running: "runRunning",
  queued: "runQueued",
  failed: "runFailedShort",
} as const;

export function HistoryView() {
  const { t, lang } = useT();
  const [shop, setShop] = useState(localStorage.getItem("listing-audit-shop") ?? "");
  const [runs, setRuns] = useState<RunSummary[] | undefined>();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [comparison, setComparison] = useState<Comparison | undefined>();

  const load = async (event?: Event) => {
    event?.preventDefault();
    if (shop.trim() === "") return;
    const body = await api<{ runs: RunSummary[] }>("GET", `/api/v1/shops/${encodeURIComponent(shop.trim())}/runs`);
    const done = body.runs.filter((r) => r.status === "done");
    setRuns(body.runs);
    setFrom(done.at(-2)?.id ?? "");
    setTo(done.at(-1)?.id ?? "");
    setComparison(undefined);
  };
  useEffect(() => {
    void load();
  }, []);
  const compare = async () => {
    setComparison(
      await api<Comparison>("GET", `/api/v1/shops/${encodeURIComponent(shop.trim())}/compare?from=${from}&to=${to}`),
    );
  };
  const when = (run: RunSummary) => new Date(run.createdAt).toLocaleString(lang === "zh" ? "zh-CN" : "en");

  return (
    <div>
      <form class="panel row" onSubmit={load}>
        <label>
          {t("shop")}
          <input name="shop" value={shop} onInput={(e) => setShop(e.currentTarget.value)} />
        </label>
        <button type="submit">{t("show")}</button>
      </form>
      {runs && runs.length === 0 && <p class="panel">{t("noRuns")}</p>}
      {runs && runs.length > 0 && (
        <section class="panel" aria-label={t("runs")}>
          <TrendChart runs={runs.filter((r) => r.status === "done")} />
          <table>
            <ColumnHeads keys={["date", "status", "listings", "error", "warning", "info"]} />
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>
                    <a href={`/shop/${run.id}`}>{when(run)}</a>
                  </td>
                  <td>{t(RUN_STATUS_KEYS[run.status])}</td>
                  <td>{run.summary.listings}</td>
                  <td>{run.summary.error}</td>
                  <td>{run.summary.warning}</td>
                  <td>{run.summary.info}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="row">
            {(
              [
                ["from", from, setFrom],
                ["to", to, setTo],
              ] as const
            ).map(([key, value, setValue]) => (
              <label key={key}>
                {t(key)}
                <select name={key} value={value} onChange={(e) => setValue(e.currentTarget.value)}>
                  {runs
                    .filter((r) => r.status === "done")
                    .map((r) => (
                      <option key={r.id} value={r.id}>
                        {when(r)}
                      </option>
                    ))}
                </select>
              </label>
            ))}
            <button type="button" disabled={!from || !to} onClick={() => void compare()}>
              {t("compare")}
            </button>
          </div>
        </section>
      )}
      {comparison && (
        <section class="panel" aria-label={t("compare")}>
          <p class="counts">
            {t("newFindings")} {comparison.counts.new} · {t("fixedFindings")} {comparison.counts.fixed} ·{" "}
            {t("unchanged")} {comparison.counts.unchanged}
          </p>
          <div class="two-columns">
            {(["new", "fixed"] as const).map((key) => (
              <div key={key} class={`compare-${key}`}>
                <h3>{t(key === "new" ? "newFindings" : "fixedFindings")}</h3>
                {comparison[key].map((finding) => (
                  <div key={finding.id}>
                    <p class="listing-ref">
                      {t("listingId")} {finding.listingId}
                    </p>
                    <FindingCard finding={finding} />
                  </div>
                ))}
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
