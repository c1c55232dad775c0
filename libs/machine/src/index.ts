export * from './context';
export * from './predicates';
export * from './build-machine';
export * from './explain';
export * from './deadlines';
export * from './view';
export * from './ladder';
export * from './simulate';
