// Turning HTML form posts into the typed input the shared API schemas validate, and their complaints into
// sentences for people, in the reader's language. The rules themselves stay in the API's zod schemas;
// nothing is re-checked here.
import type { MessageKey, Words } from '../../core/i18n/messages.js';
import { currencyExponent, fromDecimalString } from '../../domain/money.js';
import { money } from '../shared/format.js';

export type FormBody = Record<string, string | File | (string | File)[]>;

/** A problem with the submitted form; `field` is the id of the input it is about (linked from the summary). */
export interface Problem {
  field?: string;
  message: string;
}

/** How a field is entered, so limits can be said in the same units. */
export type Units = 'text' | 'money' | 'percent' | 'seconds';

export interface FieldInfo {
  /** The input's id on the page. */
  id: string;
  /** Its label, from the catalogs. */
  label: MessageKey & `field.${string}`;
  units?: Units;
}

/** A text field's value ('' when absent, or when a file was sent instead). */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/** A checkbox: present means checked. */
export const checked = (body: FormBody, name: string) => field(body, name) !== '';

/** A label inside a sentence: `Enter shipping fee.` (lower case where the language has it). */
const inSentence = (label: string, w: Words) => label.toLocaleLowerCase(w.locale);

/** `'12.50'` in the currency's major units -> exact minor units, or a problem; never rounded. */
export function parseMoney(value: string, currency: string, info: FieldInfo, problems: Problem[], w: Words): number | undefined {
  if (value.trim() === '') {
    problems.push({ field: info.id, message: w.t('form.enter', { field: inSentence(w.t(info.label), w) }) });
    return undefined;
  }
  try {
    return fromDecimalString(value.replace(/,/g, ''), currency);
  } catch {
    const decimals = currencyExponent(currency);
    const example = decimals === 0 ? '1250' : `12.${'5'.padEnd(decimals, '0')}`;
    problems.push({ field: info.id, message: w.t('form.money', { field: w.t(info.label), currency, example, decimals }) });
    return undefined;
  }
}

/** A whole number (seconds and the like), or a problem. */
export function parseWhole(value: string, info: FieldInfo, problems: Problem[], w: Words): number | undefined {
  const trimmed = value.trim();
  if (!/^\d{1,12}$/.test(trimmed)) {
    problems.push({ field: info.id, message: trimmed === '' ? w.t('form.enter', { field: inSentence(w.t(info.label), w) }) : w.t('form.whole', { field: w.t(info.label) }) });
    return undefined;
  }
  return Number(trimmed);
}

/** A percentage with up to two decimals (`6`, `6.25`) -> basis points, exactly; or a problem. */
export function parsePercent(value: string, info: FieldInfo, problems: Problem[], w: Words): number | undefined {
  const match = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) {
    problems.push({ field: info.id, message: w.t('form.percent', { field: w.t(info.label) }) });
    return undefined;
  }
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Basis points -> the percentage as typed: 625 -> `6.25`, 600 -> `6`. */
export function bpsToPercent(bps: number): string {
  const whole = Math.floor(bps / 100);
  const rest = bps % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

interface IssueLike {
  code?: string;
  path: PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

/** `{count} characters`, singular or plural as the language counts. */
export const characters = (count: number, w: Words) => w.t(new Intl.PluralRules(w.locale).select(count) === 'one' ? 'form.characters.one' : 'form.characters.other', { count });

/** The schema's complaints as sentences about the fields people see, limits in the units they typed. */
export function describeIssues(issues: readonly IssueLike[], fields: Record<string, FieldInfo>, currency: string, w: Words): Problem[] {
  return issues.map((issue) => {
    const info = fields[String(issue.path[0] ?? '')];
    const label = info ? w.t(info.label) : w.t('form.this_form');
    const bound = (n: number | bigint | undefined) => {
      const value = Number(n);
      if (issue.origin === 'string') return characters(value, w);
      if (info?.units === 'money') return money(value, currency);
      if (info?.units === 'percent') return `${bpsToPercent(value)}%`;
      if (info?.units === 'seconds') return w.duration(value);
      return String(value);
    };
    let message: string;
    if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) message = w.t('form.enter', { field: inSentence(label, w) });
    else if (issue.code === 'too_small') message = w.t('form.at_least', { field: label, bound: bound(issue.minimum) });
    else if (issue.code === 'too_big') message = w.t('form.at_most', { field: label, bound: bound(issue.maximum) });
    else message = w.t('form.invalid', { field: label });
    return { ...(info && { field: info.id }), message };
  });
}
