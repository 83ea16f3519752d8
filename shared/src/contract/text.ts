import { z } from 'zod';

/**
 * Free text a person types (a name, an address): trimmed, bounded, and refused rather than silently
 * rewritten when it cannot be stored or shown as typed.
 */

/** A UTF-16 surrogate without its partner: storage would turn it into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters (C0, DEL, C1), NUL included. An address may keep its line breaks. */
const CONTROL = /\p{Cc}/gu;
/** Embeddings, overrides and isolates: they reorder what is shown around them (U+202A–202E, U+2066–2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** Characters with no glyph of their own: zero-width spaces and joiners, soft hyphen, fillers… */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

export function visibleText(options: { max: number; lineBreaks?: boolean }) {
  return z
    .string()
    .trim()
    .min(1)
    .max(options.max)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, options.lineBreaks ?? false);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

function textProblem(value: string, lineBreaks: boolean): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone surrogate (invalid UTF-16)';
  const controls = value.match(CONTROL) ?? [];
  if (controls.some((c) => !(lineBreaks && (c === '\n' || c === '\r'))))
    return 'must not contain control characters';
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional override or isolate characters';
  if (value.replace(INVISIBLE, '').trim() === '') return 'must contain visible characters';
  return undefined;
}
