import { cpus, loadavg } from 'node:os';

/** The machine a figure was taken on: with 2 shared cores, the load at start says how noisy it may be. */
export interface MachineInfo {
  cpus: number;
  model: string;
  node: string;
  loadAverageAtStart: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageAtStart: loadavg(),
  };
}
