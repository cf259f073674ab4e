import { type TextKey, useT } from "./i18n.js";

/** A table's header row: one column heading per text key, in the app's language. */
export function ColumnHeads({ keys }: { keys: readonly TextKey[] }) {
  const { t } = useT();
  return (
    <thead>
      <tr>
        {keys.map((key) => (
          <th key={key} scope="col">
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
}
