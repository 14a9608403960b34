export * from './sender-check';
export * from './bridge-ipc';
export * from './attach-host';
