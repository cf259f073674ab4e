import { useT } from "./i18n.js";

/** The platforms a listing can be audited for (the engine's PLATFORMS), in the order the app offers them. */
export const PLATFORMS = ["taobao", "tmall", "pinduoduo", "generic"] as const;

const PLATFORM_KEYS = {
  taobao: "platformTaobao",
  tmall: "platformTmall",
  pinduoduo: "platformPinduoduo",
  generic: "platformGeneric",
} as const;

/** One <option> per platform, named in the app's language; the value stays the platform's id. */
export function PlatformOptions() {
  const { t } = useT();
  return (
    <>
      {PLATFORMS.map((p) => (
        <option key={p} value={p}>
          {t(PLATFORM_KEYS[p])}
        </option>
      ))}
    </>
  );
}
