export * from './core';
export * from './schemas';
export * from './standard-calendar';
