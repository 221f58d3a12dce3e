// A timeline event's name in the reader's language, by its code; a code the catalog does not know yet (an
// event added later) is shown as words made from the code. Every `event.*` message takes no parameters.
import type { MessageKey, PlainKey, Words } from '../../core/i18n/messages.js';
import type { Actor } from '../../domain/order.js';
import { humanize } from './format.js';

export function eventWords(event: string, w: Words): string {
  const key = `event.${event}`;
  return w.has(key) ? w.t(key as PlainKey) : humanize(event);
}

export const actorWords = (actor: Actor, w: Words): string => w.t(`actor.${actor}` satisfies MessageKey);
