/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Grafana's address, when the deployment has one; the Dev tools page links to it. */
  readonly VITE_GRAFANA_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
