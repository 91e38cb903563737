/**
 * A small checker for the Prometheus text exposition format 0.0.4, written from the format's
 * specification rather than from prom-client, so that the test does not trust the library it
 * checks: `# HELP` / `# TYPE` lines, one TYPE per family before its samples, sample lines
 * `name{label="value",...} value [timestamp]` with escaped label values (\\, \", \n), metric and
 * label names from [a-zA-Z_:][a-zA-Z0-9_:]*, values as Go floats (incl. NaN, +Inf, -Inf), and a
 * family's samples kept together.
 */

export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string | undefined;
  readonly samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value '${text}'`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`line ${line}: label without '='`);
    const name = text.slice(i, eq).trim();
    if (!LABEL.test(name)) throw new Error(`line ${line}: bad label name '${name}'`);
    if (name in labels) throw new Error(`line ${line}: duplicate label '${name}'`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label value not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`line ${line}: bad escape '\\${n}'`);
        j += 2;
      } else {
        value += c;
        j++;
      }
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`line ${line}: expected ',' after a label`);
  }
  return labels;
}

/** Parses and checks an exposition; throws with the line number on the first violation. */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const help = new Map<string, string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  lines.forEach((raw, idx) => {
    const n = idx + 1;
    const line = raw.trimEnd();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`line ${n}: bad metric name '${name}'`);
      if (kind === 'HELP') {
        help.set(name, rest);
        return;
      }
      if (!TYPES.has(rest)) throw new Error(`line ${n}: unknown type '${rest}'`);
      if (families.has(name)) throw new Error(`line ${n}: second TYPE for '${name}'`);
      if (current) closed.add(current);
      families.set(name, { name, type: rest, help: help.get(name), samples: [] });
      current = name;
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(line);
    if (!m) throw new Error(`line ${n}: not a sample: '${line}'`);
    const [, name, labelText, valueText] = m as unknown as [string, string, string | undefined, string];
    const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ''));
    if (!family) throw new Error(`line ${n}: sample '${name}' before its TYPE`);
    if (closed.has(family.name)) throw new Error(`line ${n}: samples of '${family.name}' are not together`);
    family.samples.push({ name, labels: parseLabels(labelText ?? '', n), value: parseValue(valueText, n) });
  });
  for (const f of families.values()) {
    const seen = new Set<string>();
    for (const s of f.samples) {
      const key = `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
      if (seen.has(key)) throw new Error(`duplicate series ${key}`);
      seen.add(key);
      if (f.type === 'counter' && !(s.value >= 0)) throw new Error(`counter ${key} is ${s.value}`);
    }
  }
  return families;
}

/** The value of the one sample of `family` whose labels include `labels`. */
export function sampleValue(families: Map<string, PromFamily>, family: string, labels: Record<string, string> = {}): number {
  const f = families.get(family);
  if (!f) throw new Error(`no family ${family}`);
  const matches = f.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length !== 1) throw new Error(`${matches.length} samples of ${family} match ${JSON.stringify(labels)}`);
  return matches[0]!.value;
}
