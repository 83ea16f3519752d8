/**
 * What the chart's monitoring and autoscaling objects must agree with: each service's consumer group and
 * streams as its main.ts subscribes them, and Prometheus' relabelling, applied the way Prometheus does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GROUPS, STREAMS } from '@pizza/shared/contract';
import { REPO_ROOT } from './catalogue';

export interface ConsumerSubscription {
  group: string;
  streams: string[];
}

/** The `group: GROUPS.x, streams: [STREAMS.a, …]` a service's main.ts starts its consumer with. */
export function consumerOf(service: string): ConsumerSubscription {
  const source = readFileSync(path.join(REPO_ROOT, 'services', service, 'src/main.ts'), 'utf8');
  const match = source.match(/group:\s*GROUPS\.(\w+),\s*streams:\s*\[([^\]]*)\]/);
  if (!match) throw new Error(`services/${service}/src/main.ts starts no consumer this check can read`);
  const group = GROUPS[match[1] as keyof typeof GROUPS];
  const streams = (match[2] ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^STREAMS\./, ''))
    .filter(Boolean)
    .map((key) => STREAMS[key as keyof typeof STREAMS]);
  if (!group || streams.some((s) => s === undefined))
    throw new Error(`services/${service}: unknown group or stream`);
  return { group, streams };
}

export interface RelabelConfig {
  action?: string;
  sourceLabels?: string[];
  separator?: string;
  targetLabel?: string;
  regex?: string;
  replacement?: string;
}

/** Applies `replace` relabel rules (the only action the chart uses) to a target's labels. */
export function relabel(
  labels: Record<string, string>,
  rules: readonly RelabelConfig[],
): Record<string, string> {
  const out = { ...labels };
  for (const rule of rules) {
    if ((rule.action ?? 'replace') !== 'replace')
      throw new Error(`relabel action ${rule.action} not supported`);
    const source = (rule.sourceLabels ?? []).map((l) => out[l] ?? '').join(rule.separator ?? ';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(source);
    if (!match || !rule.targetLabel) continue;
    out[rule.targetLabel] = (rule.replacement ?? '$1').replace(
      /\$(\d+)/g,
      (_m, i: string) => match[Number(i)] ?? '',
    );
  }
  return out;
}
