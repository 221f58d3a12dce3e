// What text Paystead can store: Postgres refuses NUL in text and jsonb, and lone UTF-16 surrogates in
// jsonb (22P05), so such input must be refused where it comes in, not found by a projection write that then
// fails for good. Other C0 controls are refused too: no field means them. Pure module.

/** Where a string goes: `multiline` text (form and JSON fields) may hold tab, newline and carriage return. */
export interface TextRule {
  multiline: boolean;
  maxLength: number;
}

/** Path segments, query keys and values: one line, nothing a browser or client would send by itself. */
export const LINE_TEXT: TextRule = { multiline: false, maxLength: 2_000 };
/** Strings in request bodies: their own schemas bound them further (the body's size bounds them all). */
export const BODY_TEXT: TextRule = { multiline: true, maxLength: 64 * 1024 };

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` cannot be stored under `rule`, or undefined when it can. */
export function textProblem(value: string, rule: TextRule): string | undefined {
  if (value.length > rule.maxLength) return `is longer than ${rule.maxLength} characters`;
  if ((rule.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value)) return 'contains a control character';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired surrogate (not valid Unicode)';
  return undefined;
}

/** A string that breaks the rule, anywhere in a parsed JSON or form value (keys included). */
export interface TextIssue {
  path: string;
  message: string;
}

/** Deeper than any request Paystead takes; a deeper one is refused rather than walked. */
const MAX_DEPTH = 32;

/** The first string in `value` (depth first, object keys too) that `rule` refuses. */
export function findTextIssue(value: unknown, rule: TextRule, path = '', depth = 0): TextIssue | undefined {
  if (depth > MAX_DEPTH) return { path, message: `is nested deeper than ${MAX_DEPTH} levels` };
  if (typeof value === 'string') {
    const message = textProblem(value, rule);
    return message ? { path, message } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const issue = findTextIssue(item, rule, path ? `${path}.${index}` : String(index), depth + 1);
      if (issue) return issue;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key, LINE_TEXT);
      if (keyProblem) return { path: at, message: `name ${keyProblem}` };
      const issue = findTextIssue(item, rule, at, depth + 1);
      if (issue) return issue;
    }
  }
  return undefined;
}
