import { fileURLToPath } from "node:url";

/** The package folder (holds rules/, schemas/, package.json) — from src/util or dist/util alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
