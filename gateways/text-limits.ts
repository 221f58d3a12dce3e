// Gateways cap their free-text fields (descriptions, refund reasons) in characters. Cutting by UTF-16 code
// unit could split an emoji's surrogate pair and send half a character; these cut by code point.

/** At most `max` characters (code points) of `text`. */
export function limitText(text: string, max: number): string {
  let count = 0;
  let end = 0;
  for (const char of text) {
    if (count === max) return text.slice(0, end);
    count += 1;
    end += char.length;
  }
  return text;
}
