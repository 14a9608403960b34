export * from './version';
export * from './errors';
export * from './entities';
export * from './socket';
export * from './http';
export * from './push';
export * from './lines';
export * from './lines-http';
