export * from './config';
export * from './tools';
export * from './user-error';
export * from './mask';
export * from './cluster';
export * from './pool';
