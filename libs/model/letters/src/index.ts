export * from './letter-request';
export * from './render';
export * from './sources';
export * from './document';
