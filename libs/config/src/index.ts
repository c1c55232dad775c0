export * from './config';
export * from './tools';
