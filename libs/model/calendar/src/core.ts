// The pure date code without zod and without the shipped holiday data: what the workflow bundle
// may import (every cached workflow loads its own copy of each module it imports).
export * from './local-date';
export * from './china-time';
export * from './holiday-calendar';
export * from './duration';
