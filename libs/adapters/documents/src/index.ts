export * from './fonts';
export * from './geometry';
export * from './docx';
export * from './pdf';
export * from './table-docx';
