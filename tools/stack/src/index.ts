export * from './infra';
export { startStack, type Stack, type StackOptions, type StackProcess } from './stack';
export { SERVICE_NAMES, type ServiceName, type ServiceProcess } from './services';
export { terminalSink, type LineSink } from './logs';
export { RESTART_POLICY, restartDelay, Supervisor, type RestartPolicy } from './supervisor';
export { pidsOfProcessesLine, readyBlock } from './start-log';
