// Stripe's request encoding: form fields (query string for GET) with bracket notation for nesting,
// `line_items[0][price_data][currency]=usd`, `created[gte]=1700000000`, `expand[]=x`. Values stay strings,
// as Stripe receives them; each endpoint coerces what it reads.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Form = { [key: string]: FormValue };

function segments(key: string): string[] {
  const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(key);
  if (!match) return [key];
  return [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)];
}

/** Objects whose keys are exactly 0..n-1 were arrays before encoding. */
function arrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((key) => arrays(value[key]!));
  if (keys.length > 0 && keys.every((key, i) => key === String(i))) return entries;
  return Object.fromEntries(keys.map((key, i) => [key, entries[i]!]));
}

export function parseForm(encoded: string): Form {
  const root: Form = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = segments(key);
    let node: { [key: string]: FormValue } = root;
    path.forEach((segment, i) => {
      const name = segment === '' ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) {
        node[name] = value;
        return;
      }
      const next = node[name];
      if (next === undefined || typeof next === 'string' || Array.isArray(next)) node[name] = {};
      node = node[name] as { [key: string]: FormValue };
    });
  }
  return arrays(root) as Form;
}
