import type { z } from "zod";
import { describeOutOfRange, type NumberRange } from "../util/number-limits.js";

/** `schema` (a number schema with its own sign check) that also refuses values outside `range`. */
export function withinRange(schema: z.ZodNumber, range: NumberRange): z.ZodNumber {
  return schema.superRefine((value, context) => {
    // A negative value already has the sign check's message; say one thing per value.
    if (value < 0 || (value === 0 && range.min > 0)) return;
    const message = describeOutOfRange(value, range);
    if (message !== undefined) context.addIssue({ code: "custom", message, input: value });
  });
}
