import type { ShopSettings } from "../shop-settings.js";
import type { Db } from "./database.js";

export interface StoredShopSettings {
  settings: ShopSettings;
  updatedAt: string;
}

export function getShopSettings(db: Db, shop: string): StoredShopSettings | undefined {
  const row = db.prepare("SELECT settings, updated_at FROM shop_settings WHERE shop = ?").get(shop) as
    | { settings: string; updated_at: string }
    | undefined;
  return row && { settings: JSON.parse(row.settings) as ShopSettings, updatedAt: row.updated_at };
}

/** Replaces a shop's settings whole (a PUT): keys left out are no longer set. */
export function putShopSettings(db: Db, shop: string, settings: ShopSettings): StoredShopSettings {
  const updatedAt = new Date().toISOString();
  db.prepare(
    `INSERT INTO shop_settings (shop, settings, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (shop) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  ).run(shop, JSON.stringify(settings), updatedAt);
  return { settings, updatedAt };
}
