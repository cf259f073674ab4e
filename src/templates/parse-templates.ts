import type { RegionCatalogue, ShippingTemplate } from "../model.js";
import { bilingual, type LocatedError, type Result } from "../util/result.js";
import { parseLocatedDocument } from "../util/yaml-document.js";
import { isRecord } from "../util/is-record.js";
import { parseNativeTemplates, type ParsedTemplates } from "./native-templates.js";
import { isTopDocument, parseTopTemplates } from "./top-templates.js";

/**
 * Parses one template file, our format (`templates: [...]`, YAML or JSON) or a Taobao Open Platform
 * response, told apart by content. Every mistake comes back at once, located by file, line and key.
 */
export function parseTemplates(text: string, file: string, regions: RegionCatalogue): Result<ParsedTemplates> {
  const doc = parseLocatedDocument(text.replace(/^\uFEFF/, ""), file);
  if (!doc.ok) return doc;
  const value = doc.value.value;
  const parsed =
    isRecord(value) && "templates" in value
      ? parseNativeTemplates(doc.value, regions)
      : isTopDocument(value)
        ? parseTopTemplates(doc.value, regions)
        : { ok: false as const, errors: [describeUnknownDocument(value, file)] };
  if (!parsed.ok) return parsed;
  const duplicates = findDuplicateIds(parsed.value.templates);
  return duplicates.length > 0 ? { ok: false, errors: duplicates } : parsed;
}

/** Template ids must be unique across every template file of a run: each repeat names the first. */
export function findDuplicateIds(templates: Iterable<ShippingTemplate>): LocatedError[] {
  const first = new Map<string, ShippingTemplate>();
  const errors: LocatedError[] = [];
  for (const template of templates) {
    const earlier = first.get(template.id);
    if (!earlier) {
      first.set(template.id, template);
      continue;
    }
    const where = [earlier.source.file, earlier.source.line].filter((part) => part !== undefined).join(":");
    errors.push({
      file: template.source.file ?? "",
      ...(template.source.line === undefined ? {} : { line: template.source.line }),
      key: "id",
      ...bilingual(
        `模板 id "${template.id}" 重复（第一次定义在 ${where}）`,
        `duplicate template id "${template.id}" (first defined at ${where})`,
      ),
    });
  }
  return errors;
}

function describeUnknownDocument(value: unknown, file: string): LocatedError {
  const error = isRecord(value) && isRecord(value.error_response) ? value.error_response : undefined;
  const reason = error ? String(error.sub_msg ?? error.msg ?? error.code) : "";
  const message = error
    ? bilingual(
        `这是淘宝开放平台的错误响应（${reason}），不是运费模板`,
        `a Taobao Open Platform error response (${reason}), not delivery templates`,
      )
    : bilingual(
        '不是运费模板文件：应为 "templates: [...]"，或淘宝开放平台 taobao.delivery.template(s).get 的响应',
        'not a shipping template file: expected "templates: [...]" or a Taobao Open Platform taobao.delivery.template(s).get response',
      );
  return { file, line: 1, key: "", ...message };
}
