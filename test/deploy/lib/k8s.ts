/** Small typed views over rendered Kubernetes manifests, for the chart checks. */
import type { Manifest } from './helm/chart';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export const API_VERSIONS: Readonly<Record<string, string>> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  ServiceMonitor: 'monitoring.coreos.com/v1',
  PrometheusRule: 'monitoring.coreos.com/v1',
  ScaledObject: 'keda.sh/v1alpha1',
};

export function objects(manifests: readonly Manifest[]): K8sObject[] {
  return manifests.map((m) => m.doc as unknown as K8sObject);
}

export function ofKind(all: readonly K8sObject[], kind: string): K8sObject[] {
  return all.filter((o) => o.kind === kind);
}

export function named(all: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = all.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(
      `no ${kind} named ${name} among ${all.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  return found;
}

/** The pod template of a workload (CronJob → jobTemplate → template). */
export function podTemplate(obj: K8sObject): PodTemplate | undefined {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (obj.kind === 'CronJob') {
    const job = spec.jobTemplate as { spec: { template: PodTemplate } };
    return job.spec.template;
  }
  return spec.template as PodTemplate | undefined;
}

export function matchLabels(obj: K8sObject): Record<string, string> {
  const spec = obj.spec as { selector?: { matchLabels?: Record<string, string> } | Record<string, string> };
  const selector = spec.selector ?? {};
  return ('matchLabels' in selector ? selector.matchLabels : selector) as Record<string, string>;
}

export function selects(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Resolves a container's environment the way the kubelet would: envFrom ConfigMaps/Secrets first, then env;
 * a reference to a missing ConfigMap, Secret or key is an error.
 */
export function resolveEnv(container: Container, all: readonly K8sObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  const data = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const raw = named(all, kind, name).data ?? {};
    return kind === 'Secret'
      ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
      : raw;
  };
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(out, data('ConfigMap', from.configMapRef.name));
    if (from.secretRef) Object.assign(out, data('Secret', from.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (ref) {
      const source = data(variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name);
      if (!(ref.key in source))
        throw new Error(`${container.name}: ${variable.name} refers to missing key ${ref.key}`);
      out[variable.name] = source[ref.key] ?? '';
    } else {
      out[variable.name] = variable.value ?? '';
    }
  }
  return out;
}
