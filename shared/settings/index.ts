export * from './schema';
export * from './migrations';
