import type { Db } from "./database.js";

export interface StoredTemplate {
  id: string;
  name: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}

interface TemplateDbRow {
  id: string;
  name: string;
  text: string;
  created_at: string;
  updated_at: string;
}

const toTemplate = (row: TemplateDbRow): StoredTemplate => ({
  id: row.id,
  name: row.name,
  text: row.text,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function listTemplates(db: Db): StoredTemplate[] {
  return (db.prepare("SELECT * FROM templates ORDER BY name, id").all() as TemplateDbRow[]).map(toTemplate);
}

export function getTemplate(db: Db, id: string): StoredTemplate | undefined {
  const row = db.prepare("SELECT * FROM templates WHERE id = ?").get(id) as TemplateDbRow | undefined;
  return row && toTemplate(row);
}

export function insertTemplate(db: Db, template: { id: string; name: string; text: string }): StoredTemplate {
  const now = new Date().toISOString();
  db.prepare("INSERT INTO templates (id, name, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(
    template.id,
    template.name,
    template.text,
    now,
    now,
  );
  return { ...template, createdAt: now, updatedAt: now };
}

/** Replaces a stored document; false when there is none with that id. */
export function updateTemplate(db: Db, id: string, template: { name: string; text: string }): boolean {
  return (
    db
      .prepare("UPDATE templates SET name = ?, text = ?, updated_at = ? WHERE id = ?")
      .run(template.name, template.text, new Date().toISOString(), id).changes > 0
  );
}

export function deleteTemplate(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM templates WHERE id = ?").run(id).changes > 0;
}
