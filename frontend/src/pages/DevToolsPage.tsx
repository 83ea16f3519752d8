import type { ReactNode } from 'react';
import { DeadLetterPanel } from '../components/DeadLetterPanel';
import { SystemDiagram } from '../components/SystemDiagram';
import { DeadLetterInspector } from '../system/DeadLetterInspector';

const SERVICES = ['orders', 'notifications', 'delivery', 'simulator'] as const;
const grafanaUrl = import.meta.env.VITE_GRAFANA_URL;

function Panel({ title, children }: { title: string; children: ReactNode }) {
  const id = `panel-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="space-y-3 rounded-xl border border-stone-200 bg-white p-5">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

const linkClass = 'font-medium text-red-700 underline';

export function DevToolsPage() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Dev tools</h1>
      <div className="grid gap-6 md:grid-cols-2">
        <Panel title="API and observability">
          <ul className="list-disc space-y-2 pl-5 text-sm">
            <li>
              <a href="/api/docs" className={linkClass}>
                API documentation
              </a>{' '}
              (OpenAPI, served by the orders service)
            </li>
            <li>
              Metrics: every service serves Prometheus text at <code>/metrics</code> and its health at{' '}
              <code>/api/v1/health</code> on its own port, not through this site: {SERVICES.join(', ')}.
            </li>
            <li>
              {grafanaUrl ? (
                <a href={grafanaUrl} className={linkClass}>
                  Grafana dashboards
                </a>
              ) : (
                <>
                  Grafana is not configured for this build (set <code>VITE_GRAFANA_URL</code>).
                </>
              )}
            </li>
          </ul>
        </Panel>
        <Panel title="Dead letters">
          <DeadLetterPanel />
        </Panel>
      </div>
      <Panel title="Inspect and replay dead letters">
        <DeadLetterInspector />
      </Panel>
      <Panel title="How it fits together">
        <SystemDiagram />
      </Panel>
    </div>
  );
}
