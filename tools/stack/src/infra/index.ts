export * from './ports';
export * from './process';
export * from './redis';
export * from './mongo';
