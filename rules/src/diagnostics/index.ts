export * from './diagnostic';
export * from './print';
