export * from './infra';
export { startStack, type Stack, type StackOptions } from './stack';
export { SERVICE_NAMES, type ServiceName, type ServiceProcess } from './services';
export { terminalSink, type LineSink } from './logs';
