// Free text for the order model test: what a customer or merchant may type, including what cannot be stored.
import fc from 'fast-check';

/**
 * `fine`: stored as sent (after trimming); `overlong`: longer than any text field allows;
 * `unstorable`: NUL, other C0 controls or a lone surrogate, which Postgres refuses.
 * Both of the last two must be refused with 400, changing nothing.
 */
export type TextKind = 'fine' | 'overlong' | 'unstorable';

export interface Text {
  value: string;
  kind: TextKind;
}

const FINE = [
  'Li Wei',
  '李伟',
  'emoji 🍵🫖 family 👩‍👩‍👧 flag 🇨🇳',
  "O'Brien'; drop table orders; --",
  '<script>alert(1)</script>',
  'Zoë Ångström',
  'العربية \u202e reversed',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 astral 𠀀',
  '🍵'.repeat(45),
];

const UNSTORABLE = ['\u0000', 'NUL \u0000 inside', 'lone high \ud800', 'lone low \udfff at the end', 'bell \u0007', 'escape \u001b[31m red', 'tea 🍵 then half an emoji \ud83c'];

export const text = (value: string, kind: TextKind = 'fine'): Text => ({ value, kind });

/** Text a field accepts: curated awkward but valid strings, or plain words. */
export const fineText: fc.Arbitrary<Text> = fc.oneof(
  fc.constantFrom(...FINE).map((value) => text(value)),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,30}[A-Za-z0-9]$/).map((value) => text(value)),
);

/** Any text: mostly fine, sometimes too long, sometimes unstorable. */
export const anyText: fc.Arbitrary<Text> = fc.oneof(
  { arbitrary: fineText, weight: 6 },
  { arbitrary: fc.integer({ min: 501, max: 20_000 }).map((n) => text('x'.repeat(n), 'overlong')), weight: 1 },
  { arbitrary: fc.constantFrom(...UNSTORABLE).map((value) => text(value, 'unstorable')), weight: 2 },
);

/** How a text appears in a printed step: escapes visible, long ones shortened. */
export function showText(t: Text): string {
  const shown = JSON.stringify(t.value.length > 40 ? `${t.value.slice(0, 20)}…(${t.value.length})` : t.value);
  return t.kind === 'fine' ? shown : `${t.kind}:${shown}`;
}
