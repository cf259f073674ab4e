import type { ApiError } from "./api.js";
import { useT } from "./i18n.js";

/** An API refusal with every located error: file, line and key, then the message. */
export function LocatedErrors({ error }: { error: ApiError }) {
  const { lang } = useT();
  return (
    <div class="errors" role="alert">
      <p>{error.message}</p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e, i) => (
            <li key={i}>
              <code>
                {e.file}
                {e.line === undefined ? "" : `:${e.line}`} {e.key}
              </code>{" "}
              {lang === "zh" ? (e.zh ?? e.message) : e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
