import { UnavailableError } from '@reform/config';
import { DEFAULT_FONT_DIR, letterDocx, letterPdf } from '@reform/documents';
import { letterDocument, type OfficeConfig } from '@reform/letters';
import { readFile } from 'node:fs/promises';
import type { Caller, PlanDesk } from './plan-desk';

export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** The media type of each document format. */
export const DOCUMENT_MEDIA_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

export interface LetterFile {
  /** "<number> <subject>.docx" */
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface LetterDocumentsDeps {
  /** Reads the letter in the caller's scope (not found outside it). */
  desk: Pick<PlanDesk, 'letter'>;
  /** The issuing office as configured: its name heads the document; its seal, if any, goes over the date. */
  office: Pick<OfficeConfig, 'name' | 'sealImage'>;
  /** The Fandol fonts' folder (default: Debian's texlive-lang-chinese). */
  fontDir?: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A letter as an official document (GB/T 9704-2012 letter format), .docx or .pdf, for a
 * signed-in user: the same scope as reading the letter (the API and `reform letter export`).
 * Reading only: nothing is written, so nothing is audited.
 */
export class LetterDocuments {
  constructor(private readonly deps: LetterDocumentsDeps) {}

  async file(caller: Caller, letterId: string, format: DocumentFormat): Promise<LetterFile> {
    const letter = await this.deps.desk.letter(caller, letterId);
    const doc = letterDocument(letter, this.deps.office);
    const seal = await this.seal();
    const data = format === 'docx' ? await letterDocx(doc, seal) : await letterPdf(doc, { fontDir: this.deps.fontDir ?? DEFAULT_FONT_DIR, issuedOn: letter.issuedOn, seal });
    return { filename: `${doc.filename}.${format}`, contentType: DOCUMENT_MEDIA_TYPES[format], data };
  }

  /** The configured seal, checked to be a PNG; none when not configured. */
  private async seal(): Promise<Buffer | undefined> {
    const path = this.deps.office.sealImage;
    if (!path) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      throw new UnavailableError(`读不到印章图片 ${path}:请检查环境变量 REFORM_SEAL_IMAGE`);
    }
    if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new UnavailableError(`印章图片 ${path} 不是 PNG 文件:请检查环境变量 REFORM_SEAL_IMAGE`);
    return bytes;
  }
}
