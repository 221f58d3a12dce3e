// A message with markup in its parameters (`<strong>` around an amount, a `<time>`): the catalog's text is
// split at its `{name}` marks, and each mark becomes the node given for it, wherever the language puts it.
import type { Child } from 'hono/jsx';
import { CATALOGS, type MessageKey, type MessageParams, type Words } from '../../core/i18n/messages.js';

export function Message<K extends MessageKey>({ words, id, params }: { words: Words; id: K; params: { [P in keyof MessageParams<K>]: Child } }) {
  const values = params as Record<string, Child>;
  const parts = CATALOGS[words.locale][id].split(/\{(\w+)\}/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? (values[part] ?? `{${part}}`) : part))}</>;
}
