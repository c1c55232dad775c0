export * from './local-date';
export * from './china-time';
export * from './holiday-calendar';
export * from './duration';
export * from './standard-calendar';
