import type { Lang } from "../model.js";
import type { LocatedError, Result } from "../util/result.js";
import type { JsonMemberEvent } from "./json-members.js";
import { baselineMessages } from "./messages.js";

/** A mistake at a line and key of the file being read. */
export type PieceError = Omit<LocatedError, "file">;
type Report = (error: PieceError) => void;

/** What a reader of one file shape (baseline, JSON report) does with the pieces of the file. */
export interface PieceHandlers {
  /** A top-level member; "stop" ends the reading (the file is not what it should be). */
  onMember(event: Extract<JsonMemberEvent, { kind: "member" }>, error: Report): "stop" | "go on";
  /** An element of an array member, parsed. */
  onElement(event: Extract<JsonMemberEvent, { kind: "element" }>, value: unknown, error: Report): void;
  /**
   * At the end; `broken` when the file's JSON structure failed. Errors returned replace every other one:
   * they say the file is something else altogether.
   */
  finish(error: Report, broken: boolean): PieceError[];
}

export interface PieceReader {
  /** Takes one event; false once reading should stop. */
  onEvent(event: JsonMemberEvent): boolean;
  finish(): Result<void>;
}

/** A file with this many mistakes is the wrong file; listing them all helps nobody. */
const MAX_ERRORS = 20;

/** Turns splitter events into calls of `handlers`, parsing each element and collecting located errors. */
export function readPieces(file: string, lang: Lang, handlers: PieceHandlers): PieceReader {
  const m = baselineMessages(lang);
  const errors: LocatedError[] = [];
  let broken = false;
  let stopped = false;
  const error: Report = (e) => {
    if (errors.length === MAX_ERRORS) errors.push({ file, key: "", message: m.tooManyErrors });
    if (errors.length <= MAX_ERRORS) errors.push({ file, ...e });
  };
  return {
    onEvent(event) {
      if (event.kind === "error") {
        broken = true;
        error({ ...(event.reason === "empty" ? {} : { line: event.line }), key: "", message: m.shape[event.reason] });
      } else if (event.kind === "member") {
        stopped = handlers.onMember(event, error) === "stop";
      } else {
        let value: unknown;
        try {
          value = JSON.parse(event.text);
        } catch (problem) {
          error({
            line: event.line,
            key: `${event.key}[${event.index}]`,
            message: m.badJson((problem as Error).message),
          });
          return errors.length <= MAX_ERRORS;
        }
        handlers.onElement(event, value, error);
      }
      return !stopped && errors.length <= MAX_ERRORS;
    },
    finish() {
      const replacing = handlers.finish(error, broken);
      if (replacing.length > 0) return { ok: false, errors: replacing.map((e) => ({ file, ...e })) };
      return errors.length > 0 ? { ok: false, errors } : { ok: true, value: undefined };
    },
  };
}
