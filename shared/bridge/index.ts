export * from './contract';
export * from './views';
export * from './errors';
export * from './result';
export * from './dispatcher';
export * from './client';
export * from './event-hub';
