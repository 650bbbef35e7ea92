/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (prom-client ships no
 * parser): every line must be a HELP, a TYPE, a comment, blank, or a sample
 * `name{label="value",…} value [timestamp]`; a TYPE comes once, before its samples.
 * Throws, naming the line, on anything else.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|[-+]Inf)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);

export function parsePrometheusText(text: string): Sample[] {
  const typed = new Set<string>();
  const sampled = new Set<string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, i) => {
    const fail = (why: string) => {
      throw new Error(`line ${i + 1} ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '' || HELP.test(line)) return;
    const type = TYPE.exec(line);
    if (type) {
      if (typed.has(type[1]!) || sampled.has(type[1]!)) fail('repeats a TYPE or comes after its samples');
      typed.add(type[1]!);
      return;
    }
    if (line.startsWith('#')) return;
    const m = SAMPLE.exec(line);
    if (!m) return fail('is not a valid sample');
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[k!] = v!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    sampled.add(m[1]!);
    samples.push({ name: m[1]!, labels, value: Number(m[3]!.replace('Inf', 'Infinity')) });
  });
  return samples;
}

/** The value of the one sample with this name and (at least) these labels, or undefined. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
